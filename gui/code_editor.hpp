// A plain-text editor with line numbers and one marked error (its line tinted, its column
// underlined), for the YAML tab.
#pragma once

#include <QPlainTextEdit>

namespace hwgui {

class CodeEditor : public QPlainTextEdit {
  Q_OBJECT
 public:
  explicit CodeEditor(QWidget* parent = nullptr);
  // line, column: 1-based; line 0 clears the mark.
  void markError(int line, int column);
  [[nodiscard]] int markedLine() const { return markedLine_; }
  void goTo(int line, int column);
  [[nodiscard]] int lineNumberAreaWidth() const;
  void paintLineNumbers(QPaintEvent* e);

 protected:
  void resizeEvent(QResizeEvent* e) override;

 private:
  void updateMargins();
  void updateArea(const QRect& rect, int dy);
  QWidget* lineNumbers_;
  int markedLine_ = 0, markedColumn_ = 0;
};

}  // namespace hwgui
