#include "sim/io/validation_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"

namespace hw {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kColumns{"device", "accelerators", "model",  "precision", "scenario", "bound",
                                        "value",  "unit",         "group",  "role",      "source"};

struct Field {
  std::string text;
  int column = 0;
};

// One CSV record (RFC 4180 quoting; no line breaks inside quotes).
std::vector<Field> split_csv(const std::string& line, const std::string& path, int line_no) {
  std::vector<Field> out;
  std::string cur;
  bool quoted = false;
  int start = 1;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back({cur, start});
      cur.clear();
      start = static_cast<int>(i) + 2;
    } else if (c != '\r') {
      cur += c;
    }
  }
  if (quoted) throw InputError({path, line_no, start}, "", line, "a quoted field is not closed: add the closing '\"'");
  out.push_back({cur, start});
  return out;
}

}  // namespace

std::vector<PublishedPoint> load_published(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError({path, 0, 0}, "", path, "cannot open the file");
  std::string line;
  int line_no = 0;
  std::vector<std::string> header;
  std::vector<PublishedPoint> out;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    auto fields = split_csv(line, path, line_no);
    if (header.empty()) {
      for (const auto& f : fields) header.push_back(f.text);
      if (header != kColumns) {
        throw InputError({path, line_no, 1}, "header", line,
                         fmt::format("expected the columns {}", fmt::join(kColumns, ",")));
      }
      continue;
    }
    if (fields.size() != kColumns.size()) {
      throw InputError({path, line_no, 1}, "", line,
                       fmt::format("expected {} fields, found {} (quote a field that holds a comma)", kColumns.size(), fields.size()));
    }
    auto bad = [&](size_t col, const std::string& expected) {
      throw InputError({path, line_no, fields[col].column}, kColumns[col], fields[col].text, expected);
    };
    PublishedPoint p;
    p.file = path;
    p.line = line_no;
    p.device = fields[0].text;
    p.device_column = fields[0].column;
    p.model_column = fields[2].column;
    if (p.device.empty()) bad(0, "expected a hardware profile id");
    {
      const auto& t = fields[1].text;
      auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), p.accelerators);
      if (ec != std::errc() || ptr != t.data() + t.size() || p.accelerators < 1) bad(1, "expected a whole number of accelerators, 1 or more");
    }
    p.model = fields[2].text;
    if (p.model.empty()) bad(2, "expected a model id");
    auto prec = precision_from(fields[3].text);
    if (!prec) bad(3, "expected fp32, fp16, bf16, int8, fp8 or fp4");
    p.precision = *prec;
    const auto& sc = fields[4].text;
    if (sc == "offline") p.scenario = LoadScenario::offline;
    else if (sc == "single_stream") p.scenario = LoadScenario::single_stream;
    else if (sc == "server") p.scenario = LoadScenario::server;
    else bad(4, "expected offline, single_stream or server");
    if (p.scenario == LoadScenario::server) {
      try {
        p.bound_s = parse_time(fields[5].text).si();
      } catch (const UnitError& e) {
        bad(5, fmt::format("a server row needs its p99 latency bound, like '15 ms' ({})", e.what()));
      }
      if (p.bound_s <= 0) bad(5, "the latency bound must be positive");
    } else if (!fields[5].text.empty()) {
      bad(5, "only a server row has a latency bound; leave it empty");
    }
    {
      const auto& t = fields[6].text;
      auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), p.value);
      if (ec != std::errc() || ptr != t.data() + t.size() || !(p.value > 0)) bad(6, "expected a positive number");
    }
    p.unit = fields[7].text;
    const std::string want = p.scenario == LoadScenario::single_stream ? "ms" : "samples/s";
    if (p.unit != want) bad(7, fmt::format("a {} row is in {}", to_string(p.scenario), want));
    p.group = fields[8].text;
    if (p.group.empty()) bad(8, "expected a group name such as vision_offline");
    p.role = fields[9].text;
    if (p.role != "fit" && p.role != "check") bad(9, "expected fit (used to fit the profile) or check (never fitted)");
    p.source = fields[10].text;
    if (p.source.empty()) bad(10, "every measurement needs its source: URL and table / row");
    out.push_back(p);
  }
  if (header.empty()) throw InputError({path, line_no, 0}, "header", "", fmt::format("empty file: expected the columns {}", fmt::join(kColumns, ",")));
  return out;
}

std::vector<PublishedPoint> load_published_dir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError({dir, 0, 0}, "", dir, "not a folder of published-measurement CSV files");
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".csv") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<PublishedPoint> out;
  for (const auto& f : files) {
    auto pts = load_published(f);
    out.insert(out.end(), pts.begin(), pts.end());
  }
  return out;
}

}  // namespace hw
