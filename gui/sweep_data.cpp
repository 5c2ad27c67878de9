#include "gui/sweep_data.hpp"

#include <cstring>

#include <QFile>
#include <QFileInfo>
#include <fmt/format.h>

#include <set>
#include <stdexcept>

#include "sim/core/units.hpp"
#include "sim/sweep/results.hpp"

namespace hwgui {

namespace {

// "2 ms" -> (2, "ms"); "0.5" -> (0.5, ""); "true", "" -> nothing.
std::optional<std::pair<double, std::string>> splitNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const auto space = text.find(' ');
  const QString num = QString::fromStdString(text.substr(0, space));
  bool ok = false;
  const double v = num.toDouble(&ok);
  if (!ok) return std::nullopt;
  return std::pair{v, space == std::string::npos ? std::string() : text.substr(space + 1)};
}

// The SI value of a quantity with a unit, whatever its kind.
std::optional<double> siValue(const std::string& text) {
  for (hw::UnitKind k : {hw::UnitKind::time, hw::UnitKind::data, hw::UnitKind::bitrate, hw::UnitKind::byterate, hw::UnitKind::flops,
                         hw::UnitKind::flop_rate, hw::UnitKind::power, hw::UnitKind::energy, hw::UnitKind::rate, hw::UnitKind::fraction,
                         hw::UnitKind::money, hw::UnitKind::energy_price, hw::UnitKind::data_price, hw::UnitKind::time_price}) {
    try {
      return hw::parse_quantity(text, k).si;
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

}  // namespace

SweepTable SweepTable::read(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) throw std::runtime_error(fmt::format("{}: cannot open: {}", path.toStdString(), f.errorString().toStdString()));
  return fromText(f.readAll().toStdString(), path);
}

SweepTable SweepTable::fromText(const std::string& text, const QString& name) {
  SweepTable t;
  t.file_ = name;
  const std::string file = name.toStdString();
  std::vector<std::vector<std::string>> records;
  try {
    records = hw::sweep::parse_csv(text);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("{}: {}", file, e.what()));
  }
  if (records.empty()) throw std::runtime_error(fmt::format("{}: empty file; expected a `hwplan sweep` CSV", file));
  t.header_ = records.front();
  const auto variant = t.column("variant");
  if (!variant) {
    // The boundary table a boundary-mode sweep writes beside its results (docs/sweeps.md:
    // `<out>-boundary.csv`, columns along, at_path, at, last_below, first_above, ...): name
    // the main CSV to open instead.
    const bool boundary = t.column("along") && t.column("last_below") && t.column("first_above");
    std::string hint;
    if (boundary) {
      const QFileInfo fi(name);
      QString main = fi.fileName();
      if (main.endsWith(QStringLiteral("-boundary.csv"))) main.chop(static_cast<int>(std::strlen("-boundary.csv")));
      else main = fi.completeBaseName();
      hint = fmt::format("; this is the boundary table a boundary-mode sweep writes beside its results: open {}.csv, "
                         "its main CSV, in the same folder (its decision map draws this boundary)",
                         main.toStdString());
    }
    throw std::runtime_error(fmt::format("{}:1: no `variant` column; expected a `hwplan sweep` CSV (axis columns, variant, "
                                         "then the report's columns){}",
                                         file, hint));
  }
  t.axes_ = *variant;
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != t.header_.size()) {
      throw std::runtime_error(fmt::format("{}:{}: {} field(s), the header has {}", file, r + 1, records[r].size(), t.header_.size()));
    }
    t.rows_.push_back(std::move(records[r]));
  }
  // Units per column.
  t.mixed_.assign(t.header_.size(), 0);
  t.units_.assign(t.header_.size(), QString());
  for (std::size_t c = 0; c < t.header_.size(); ++c) {
    std::set<std::string> units;
    for (const auto& row : t.rows_) {
      if (auto n = splitNumber(row[c])) units.insert(n->second);
    }
    if (units.size() > 1) {
      t.mixed_[c] = 1;
      t.units_[c] = QStringLiteral("SI");
    } else if (units.size() == 1) {
      t.units_[c] = QString::fromStdString(*units.begin());
    }
  }
  // Variants and their answers.
  const auto status = t.column("variant_status");
  std::vector<std::string> reportHeader(t.header_.begin() + static_cast<std::ptrdiff_t>(t.axes_) + 1, t.header_.end());
  for (std::size_t r = 0; r < t.rows_.size();) {
    Variant v;
    v.number = QString::fromStdString(t.rows_[r][*variant]).toInt();
    v.firstRow = r;
    v.status = status ? t.rows_[r][*status] : std::string("ok");
    std::vector<std::vector<std::string>> rows;
    for (; r < t.rows_.size() && QString::fromStdString(t.rows_[r][*variant]).toInt() == v.number; ++r) {
      rows.emplace_back(t.rows_[r].begin() + static_cast<std::ptrdiff_t>(t.axes_) + 1, t.rows_[r].end());
    }
    const hw::sweep::Status st = v.status == "failed" ? hw::sweep::Status::failed
                                 : v.status == "infeasible" ? hw::sweep::Status::infeasible
                                                            : hw::sweep::Status::ok;
    v.answer = hw::sweep::answer_from_rows(reportHeader, rows, st);
    t.variants_.push_back(std::move(v));
  }
  return t;
}

std::optional<std::size_t> SweepTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  return std::nullopt;
}

std::optional<double> SweepTable::number(std::size_t row, std::size_t col) const {
  const std::string& text = rows_[row][col];
  const auto n = splitNumber(text);
  if (!n) return std::nullopt;
  if (!mixed_[col] || n->second.empty()) return n->first;
  return siValue(text);
}

QString SweepTable::unit(std::size_t col) const { return units_[col]; }

std::vector<std::size_t> SweepTable::numericColumns() const {
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < header_.size(); ++c) {
    if (c == axes_) continue;  // the variant number
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      if (number(r, c)) {
        out.push_back(c);
        break;
      }
    }
  }
  return out;
}

bool SweepTable::recommended(std::size_t row) const {
  const auto c = column("recommended");
  return c && rows_[row][*c] == "true";
}

}  // namespace hwgui
