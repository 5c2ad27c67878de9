// A sweep's result file and lock file when what is on disk was planted, cut or edited by hand
// (review of 2026-12-03, /tmp/rev-hostile): a lock path that is a link, a FIFO or a hard link;
// a CSV cut mid-line; JSON variants with null or unknown fields, or given twice.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/core/errors.hpp"
#include "sim/core/files.hpp"
#include "sim/sweep/results.hpp"

namespace fs = std::filesystem;
using namespace hw;
using namespace hw::sweep;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("hwplan-resume-hostile-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void put(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary | std::ios::trunc) << text; }

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

const std::vector<std::string> kReport{"family", "hardware", "reason", "recommended"};
const std::vector<std::string> kAxes{"costs.pue"};

// Three variants of two rows each, written by ResultFile itself.
void write_three(const std::string& path, Format format) {
  ResultFile file(path, format, kAxes, kReport, {});
  for (std::size_t i = 0; i < 3; ++i) {
    Outcome o;
    o.index = i;
    o.values = {std::to_string(i + 1)};
    o.key = "key" + std::to_string(i);
    o.rows = {{"edge", "jetson-orin-nano-super", "too slow", "false"}, {"gpu", "l4x4-server", "", "true"}};
    o.report = nlohmann::json{{"candidates", nlohmann::json::array()}};
    file.add(o);
  }
}

}  // namespace

TEST_CASE("lock file: a symbolic link, a FIFO or a hard link planted at its name is refused and left as it was") {
  const fs::path dir = scratch("lock");
  const fs::path out = dir / "cc.csv", lock = dir / ".cc.csv.lock", precious = dir / "precious";
  put(precious, "precious\n");

  fs::create_symlink(precious, lock);
  const std::string link = message_of([&] { OutputLock l(out.string()); });
  CHECK(link.find("the lock file of") != std::string::npos);
  CHECK(link.find("is a symbolic link") != std::string::npos);
  CHECK(slurp(precious) == "precious\n");  // before: the pid was written into it
  CHECK(fs::is_symlink(fs::symlink_status(lock)));
  fs::remove(lock);

  // A directory there: open() fails with EISDIR before any check could name it (it read
  // "cannot write ...: Is a directory").
  fs::create_directory(lock);
  const std::string folder = message_of([&] { OutputLock l(out.string()); });
  CHECK(folder.find("is a directory, not a regular file") != std::string::npos);
  CHECK(fs::is_directory(lock));
  fs::remove(lock);

  REQUIRE(::mkfifo(lock.c_str(), 0644) == 0);
  const std::string fifo = message_of([&] { OutputLock l(out.string()); });
  CHECK(fifo.find("is a named pipe (FIFO), not a regular file") != std::string::npos);
  CHECK(fs::is_fifo(fs::symlink_status(lock)));  // before: deleted on the way out
  fs::remove(lock);

  fs::create_hard_link(precious, lock);
  const std::string hard = message_of([&] { OutputLock l(out.string()); });
  CHECK(hard.find("has 2 hard links") != std::string::npos);
  CHECK(slurp(precious) == "precious\n");
  fs::remove(lock);

  put(lock, "my notes, not a pid\n");
  const std::string other = message_of([&] { OutputLock l(out.string()); });
  CHECK(other.find("holds something other than an hwplan lock") != std::string::npos);
  CHECK(slurp(lock) == "my notes, not a pid\n");
  fs::remove(lock);

  // A stale lock of a process that died (a pid, no flock held) is still taken over, and removed.
  put(lock, "999999\n");
  { OutputLock l(out.string()); }
  CHECK_FALSE(fs::exists(fs::symlink_status(lock)));
  fs::remove_all(dir);
}

TEST_CASE("resume CSV: a file cut inside its last record keeps the whole variants. a short record in the middle is an error") {
  const fs::path dir = scratch("torn");
  const std::string path = (dir / "r.csv").string();
  write_three(path, Format::csv);
  const std::string whole = slurp(path);

  // The last 10 bytes gone: variant 3's second row is torn.
  put(path, whole.substr(0, whole.size() - 10));
  ResultFile cut(path, Format::csv, kAxes, kReport, {});
  const auto kept = cut.load_existing();
  REQUIRE(kept.size() == 2);
  REQUIRE(cut.torn().has_value());
  CHECK(cut.torn()->record == 7);
  CHECK(cut.torn()->variant == 3);
  REQUIRE(cut.incomplete().size() == 1);
  CHECK(cut.incomplete()[0].index == 2);
  CHECK(cut.incomplete()[0].rows == 1);

  // Cut in half, inside a quoted field or not: what is whole is kept.
  put(path, whole.substr(0, whole.size() / 2));
  ResultFile half(path, Format::csv, kAxes, kReport, {});
  CHECK_NOTHROW(half.load_existing());
  CHECK(half.torn().has_value());

  // A whole file is not torn.
  put(path, whole);
  ResultFile full(path, Format::csv, kAxes, kReport, {});
  CHECK(full.load_existing().size() == 3);
  CHECK_FALSE(full.torn().has_value());

  // A record short of a field in the middle (with its line end) stays an error naming it.
  std::string mid = whole;
  const std::size_t line3 = mid.find('\n', mid.find('\n', mid.find('\n') + 1) + 1);  // end of record 3
  const std::size_t comma = mid.rfind(',', line3);
  mid.erase(comma, line3 - comma);
  put(path, mid);
  ResultFile broken(path, Format::csv, kAxes, kReport, {});
  const std::string m = message_of([&] { broken.load_existing(); });
  CHECK(m.find("record 3 has 9 fields, expected 10") != std::string::npos);
  CHECK(m.find("column 10 should be 'variant_rows'") != std::string::npos);

  // A byte-order mark (Excel's "CSV UTF-8") is skipped; a NUL byte in a header is shown
  // escaped, not the end of the message.
  put(path, "\xEF\xBB\xBF" + whole);
  ResultFile bom(path, Format::csv, kAxes, kReport, {});
  CHECK(bom.load_existing().size() == 3);
  put(path, std::string("costs.pue,vari\0ant,x\n", 21));
  ResultFile nul(path, Format::csv, kAxes, kReport, {});
  const std::string n = message_of([&] { nul.load_existing(); });
  CHECK(n.find("column 2 is 'vari\\x00ant' where this sweep writes 'variant'") != std::string::npos);

  // An unknown status names the record and the column.
  std::string weird = whole;
  weird.replace(weird.find(",ok,"), 4, ",weird,");
  put(path, weird);
  ResultFile w(path, Format::csv, kAxes, kReport, {});
  CHECK(message_of([&] { w.load_existing(); }).find("record 2, column 7 (variant_status): value 'weird': expected 'ok', 'infeasible' or 'failed'") !=
        std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("resume JSON: null or unknown fields name the file, the variant and the key. a variant given twice runs again") {
  const fs::path dir = scratch("json");
  const std::string path = (dir / "r.json").string();
  write_three(path, Format::json);
  const nlohmann::json doc = nlohmann::json::parse(slurp(path));

  auto edited = [&](const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json d = doc;
    edit(d);
    put(path, d.dump());
    ResultFile f(path, Format::json, kAxes, kReport, {});
    return message_of([&] { f.load_existing(); });
  };
  const std::string answer = edited([](nlohmann::json& d) { d["variants"][1]["answer"] = nullptr; });
  CHECK(answer.find("r.json: variants[1] (variant 2): key 'answer', value 'null': expected a string") != std::string::npos);
  const std::string report = edited([](nlohmann::json& d) { d["variants"][0]["report"] = nullptr; });
  CHECK(report.find("variants[0] (variant 1): key 'report', value 'null'") != std::string::npos);
  // Emptied by hand: kept as a complete variant before, and written back empty.
  const std::string emptied = edited([](nlohmann::json& d) { d["variants"][0]["report"] = nlohmann::json::object(); });
  CHECK(emptied.find("variants[0] (variant 1): key 'report'") != std::string::npos);
  CHECK(emptied.find("non-empty object") != std::string::npos);
  const std::string status = edited([](nlohmann::json& d) { d["variants"][2]["status"] = "weird"; });
  CHECK(status.find("variants[2] (variant 3): key 'status', value 'weird': expected 'ok', 'infeasible' or 'failed'") != std::string::npos);
  const std::string number = edited([](nlohmann::json& d) { d["variants"][2]["variant"] = "x"; });
  CHECK(number.find("variants[2]: key 'variant', value '\"x\"'") == std::string::npos);
  CHECK(number.find("variants[2]: key 'variant', value 'x'") != std::string::npos);

  nlohmann::json dup = doc;
  dup["variants"].push_back(doc["variants"][0]);
  put(path, dup.dump());
  ResultFile f(path, Format::json, kAxes, kReport, {});
  const auto kept = f.load_existing();
  CHECK(kept.size() == 2);  // before: 4, one of them twice
  REQUIRE(f.incomplete().size() == 1);
  CHECK(f.incomplete()[0].index == 0);
  CHECK(f.incomplete()[0].why == "is given twice");
  fs::remove_all(dir);
}

