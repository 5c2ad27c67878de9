// A `hwplan sweep` result file (CSV) as the sweep page reads it: the axis columns (those
// before `variant`), the report's columns, and each variant's answer. Only reading and
// counting: the values are the sweep's, parsed back from their text.
#pragma once

#include <QString>
#include <optional>
#include <string>
#include <vector>

namespace hwgui {

class SweepTable {
 public:
  // Reads and checks a sweep CSV; throws std::runtime_error naming the file (and the line)
  // when it is not one (no `variant` column, a row of the wrong length, an open quote).
  static SweepTable read(const QString& path);
  static SweepTable fromText(const std::string& text, const QString& name);

  [[nodiscard]] const QString& file() const { return file_; }
  [[nodiscard]] const std::vector<std::string>& header() const { return header_; }
  [[nodiscard]] std::size_t axisCount() const { return axes_; }
  [[nodiscard]] std::size_t rowCount() const { return rows_.size(); }
  [[nodiscard]] const std::string& cell(std::size_t row, std::size_t col) const { return rows_[row][col]; }
  [[nodiscard]] std::optional<std::size_t> column(const std::string& name) const;

  // A cell as a number: the figure before its unit when every number of the column has the
  // same unit ("2 ms" -> 2), else its value in SI units ("1 Gbps" and "100 Mbps" both in bit/s).
  [[nodiscard]] std::optional<double> number(std::size_t row, std::size_t col) const;
  // The unit of the column's numbers ("ms", "USD/GB", "" for plain numbers, "SI" when mixed).
  [[nodiscard]] QString unit(std::size_t col) const;
  // Columns with a number in at least one row, axes first.
  [[nodiscard]] std::vector<std::size_t> numericColumns() const;
  // Whether the row is its variant's recommended candidate.
  [[nodiscard]] bool recommended(std::size_t row) const;

  struct Variant {
    int number = 0;          // the `variant` column
    std::size_t firstRow = 0;
    std::string answer;      // recommended "family hardware", "none" or "failed"
    std::string status;      // variant_status
  };
  [[nodiscard]] const std::vector<Variant>& variants() const { return variants_; }

 private:
  QString file_;
  std::vector<std::string> header_;
  std::size_t axes_ = 0;
  std::vector<std::vector<std::string>> rows_;
  std::vector<Variant> variants_;
  std::vector<int> mixed_;  // per column: 1 when its numbers carry different units
  std::vector<QString> units_;
};

}  // namespace hwgui
