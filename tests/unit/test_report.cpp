// Tabular output (sim/io/report): RFC 4180 CSV, aligned text, atomic file writes.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/io/report.hpp"

namespace fs = std::filesystem;

namespace {

hw::Table one_row(const std::string& cell) { return hw::Table{{"a", "b"}, {{cell, "x"}}}; }

// A fresh empty folder under the system temp folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    static int n = 0;
    path = fs::temp_directory_path() /
           ("hwplan_test_report_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  [[nodiscard]] std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path)) names.push_back(e.path().filename().string());
    return names;
  }
};

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

// ------------------------------------------------------------------ CSV

TEST_CASE("report: to_csv ends every line with CRLF and leaves plain fields bare") {
  hw::Table t{{"candidate", "p99_ms"}, {{"edge", "12.5"}, {"gpu", "30"}}};
  CHECK(hw::to_csv(t) == "candidate,p99_ms\r\nedge,12.5\r\ngpu,30\r\n");
}

TEST_CASE("report: to_csv quotes a field with a comma") {
  CHECK(hw::to_csv(one_row("1,5")) == "a,b\r\n\"1,5\",x\r\n");
}

TEST_CASE("report: to_csv doubles quotes inside a quoted field") {
  CHECK(hw::to_csv(one_row("say \"hi\"")) == "a,b\r\n\"say \"\"hi\"\"\",x\r\n");
}

TEST_CASE("report: to_csv quotes a field with a line feed") {
  CHECK(hw::to_csv(one_row("two\nlines")) == "a,b\r\n\"two\nlines\",x\r\n");
}

TEST_CASE("report: to_csv quotes a field with CRLF and keeps it intact") {
  CHECK(hw::to_csv(one_row("two\r\nlines")) == "a,b\r\n\"two\r\nlines\",x\r\n");
}

TEST_CASE("report: to_csv quotes a field with a lone carriage return") {
  CHECK(hw::to_csv(one_row("a\rb")) == "a,b\r\n\"a\rb\",x\r\n");
}

TEST_CASE("report: to_csv quotes header fields too and keeps empty fields empty") {
  hw::Table t{{"cost, USD", ""}, {{"", "1"}}};
  CHECK(hw::to_csv(t) == "\"cost, USD\",\r\n,1\r\n");
}

// ------------------------------------------------------------------ text

TEST_CASE("report: to_text pads columns, right-aligns numbers and underlines the header") {
  hw::Table t{{"name", "p99"}, {{"a", "4.2"}, {"bbb", "12.5"}}};
  CHECK(hw::to_text(t) ==
        "name  p99\n"
        "----------\n"
        "a      4.2\n"
        "bbb   12.5\n");
}

TEST_CASE("report: to_text left-aligns text cells") {
  hw::Table t{{"x", "family"}, {{"1", "gpu"}, {"2", "hybrid"}}};
  const std::string s = hw::to_text(t);
  CHECK(s.find("1  gpu\n") != std::string::npos);
  CHECK(s.find("2  hybrid\n") != std::string::npos);
}

// ------------------------------------------------------------------ atomic writes

TEST_CASE("report: write_file_atomic writes the content and leaves no temp file") {
  TempDir d;
  const fs::path target = d.path / "result.csv";
  hw::write_file_atomic(target.string(), "a,b\r\n1,2\r\n");
  CHECK(read_all(target) == "a,b\r\n1,2\r\n");
  CHECK(d.entries() == std::vector<std::string>{"result.csv"});
}

TEST_CASE("report: write_file_atomic replaces an existing file") {
  TempDir d;
  const fs::path target = d.path / "out.txt";
  hw::write_file_atomic(target.string(), "old content, longer than the new one");
  hw::write_file_atomic(target.string(), "new");
  CHECK(read_all(target) == "new");
  CHECK(d.entries().size() == 1);
}

TEST_CASE("report: write_file_atomic creates missing parent folders") {
  TempDir d;
  const fs::path target = d.path / "reports" / "2024" / "run.json";
  hw::write_file_atomic(target.string(), "{}");
  CHECK(read_all(target) == "{}");
}

TEST_CASE("report: a failed write_file_atomic throws and leaves no temp file") {
  TempDir d;
  fs::create_directories(d.path / "taken");  // a folder where the file should go
  CHECK_THROWS_AS(hw::write_file_atomic((d.path / "taken").string(), "x"), std::runtime_error);
  CHECK(d.entries() == std::vector<std::string>{"taken"});
  CHECK(fs::is_empty(d.path / "taken"));
}
