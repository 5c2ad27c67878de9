// docs/report-columns.md kept true by the code: its two column tables (the run CSV, then
// what recommend adds) name exactly the columns run_table and plan_table write, in order,
// each once, with <cur> for the lower-cased currency.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "sim/io/plan_report.hpp"
#include "sim/plan/planner.hpp"

namespace {

struct DocColumns {
  std::vector<std::string> run, recommend;  // recommend: the columns after the run ones
  std::vector<int> numbers;                 // the # column, every row of both tables
  std::vector<std::string> empty_when;      // the last cell of each row, run's rows then recommend's
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
      const std::string body = line.substr(0, line.find_last_not_of(" |") + 1);
      d.empty_when.push_back(body.substr(body.rfind("| ") + 2));
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

TEST_CASE("docs/report-columns.md: a screened-out candidate's row is empty exactly where the doc says 'screened out'") {
  // The doc said capex "is always given" and that screened-out rows have empty sizes, while
  // the CSV left capex empty and kept gpus_per_server (a property of the hardware).
  hw::Scenario s;
  s.name = "columns";
  s.costs.currency = "EUR";
  hw::Plan plan;
  hw::SizedCandidate x;
  x.screened_out = true;
  x.report.candidate.spec.family = hw::Family::gpu;
  x.report.candidate.spec.gpu_hardware = "l4x4-server";
  x.report.candidate.spec.servers = 2;
  x.report.candidate.gpus_per_server = 4;
  x.report.cost.capex = 1000;  // whatever the screen left there is not a price of a size
  x.report.cost.tco = 2000;
  x.report.reason = "protection: the round trip to the data centre ...";
  plan.candidates.push_back(x);
  const hw::Table t = hw::plan_table(s, plan, hw::TableStyle::csv);
  REQUIRE(t.rows.size() == 1);
  const DocColumns d = doc_columns();
  std::vector<std::string> cols = with_currency(d.run);
  for (const auto& c : with_currency(d.recommend)) cols.push_back(c);
  REQUIRE(cols == t.header);
  REQUIRE(d.empty_when.size() == cols.size());
  std::size_t screened = 0;
  for (std::size_t k = 0; k < cols.size(); ++k) {
    CAPTURE(cols[k]);
    CAPTURE(d.empty_when[k]);
    if (d.empty_when[k].find("screened out") != std::string::npos) {
      ++screened;
      CHECK(t.rows[0][k].empty());
    }
  }
  CHECK(screened > 20);  // sizes, measured figures, costs, spares
  const auto at = [&](const std::string& c) { return t.rows[0][static_cast<std::size_t>(std::find(cols.begin(), cols.end(), c) - cols.begin())]; };
  CHECK(at("gpus_per_server") == "4");
  CHECK(at("capex_eur").empty());
  CHECK(at("probes") == "0");
  // The conventions say the same as the tables.
  std::ifstream in(HWPLAN_SOURCE_DIR "/docs/report-columns.md");
  const std::string doc{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  CHECK(doc.find("is always given") == std::string::npos);
  CHECK(doc.find("`gpu_hardware` and `gpus_per_server`") != std::string::npos);
}
