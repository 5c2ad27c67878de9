// docs/report-columns.md kept true by the code: its two column tables (the run CSV, then
// what recommend adds) name exactly the columns run_table and plan_table write, in order,
// each once, with <cur> for the lower-cased currency.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "sim/io/plan_report.hpp"

namespace {

struct DocColumns {
  std::vector<std::string> run, recommend;  // recommend: the columns after the run ones
  std::vector<int> numbers;                 // the # column, every row of both tables
};

DocColumns doc_columns() {
  std::ifstream in(HWPLAN_SOURCE_DIR "/docs/report-columns.md");
  REQUIRE(in.good());
  DocColumns d;
  std::vector<std::string>* into = nullptr;
  const std::regex row(R"(^\| (\d+) \| `([^`]+)` \|)");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) {
      into = line.find("`hwplan run`") != std::string::npos         ? &d.run
             : line.find("`hwplan recommend`") != std::string::npos ? &d.recommend
                                                                    : nullptr;
      continue;
    }
    std::smatch m;
    if (into && std::regex_search(line, m, row)) {
      into->push_back(m[2].str());
      d.numbers.push_back(std::stoi(m[1].str()));
    }
  }
  return d;
}

std::vector<std::string> with_currency(std::vector<std::string> cols) {
  for (auto& c : cols) {
    if (const auto at = c.find("<cur>"); at != std::string::npos) c.replace(at, 5, "eur");
  }
  return cols;
}

}  // namespace

TEST_CASE("docs/report-columns.md lists every CSV column of run and recommend, in order") {
  hw::Scenario s;
  s.name = "columns";
  s.costs.currency = "EUR";
  const hw::Table run = hw::run_table(s, {}, hw::TableStyle::csv);
  const hw::Table plan = hw::plan_table(s, hw::Plan{}, hw::TableStyle::csv);
  const DocColumns d = doc_columns();
  CHECK(with_currency(d.run) == run.header);
  std::vector<std::string> added(plan.header.begin() + static_cast<std::ptrdiff_t>(run.header.size()), plan.header.end());
  CHECK(with_currency(d.recommend) == added);
  // The # column counts 1, 2, 3 ... across both tables (the position in recommend's CSV).
  for (std::size_t i = 0; i < d.numbers.size(); ++i) CHECK(d.numbers[i] == static_cast<int>(i + 1));
}
