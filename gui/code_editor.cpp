#include "gui/code_editor.hpp"

#include <QFontDatabase>
#include <QPainter>
#include <QTextBlock>

namespace hwgui {

namespace {
class LineNumberArea : public QWidget {
 public:
  explicit LineNumberArea(CodeEditor* e) : QWidget(e), editor_(e) {}
  [[nodiscard]] QSize sizeHint() const override { return {editor_->lineNumberAreaWidth(), 0}; }

 protected:
  void paintEvent(QPaintEvent* e) override { editor_->paintLineNumbers(e); }

 private:
  CodeEditor* editor_;
};
}  // namespace

CodeEditor::CodeEditor(QWidget* parent) : QPlainTextEdit(parent), lineNumbers_(new LineNumberArea(this)) {
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  setLineWrapMode(QPlainTextEdit::NoWrap);
  setTabChangesFocus(false);
  connect(this, &QPlainTextEdit::blockCountChanged, this, [this] { updateMargins(); });
  connect(this, &QPlainTextEdit::updateRequest, this, &CodeEditor::updateArea);
  updateMargins();
}

int CodeEditor::lineNumberAreaWidth() const {
  int digits = 1;
  for (int n = std::max(1, blockCount()); n >= 10; n /= 10) ++digits;
  return 12 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * std::max(3, digits);
}

void CodeEditor::updateMargins() { setViewportMargins(lineNumberAreaWidth(), 0, 0, 0); }

void CodeEditor::updateArea(const QRect& rect, int dy) {
  if (dy != 0) {
    lineNumbers_->scroll(0, dy);
  } else {
    lineNumbers_->update(0, rect.y(), lineNumbers_->width(), rect.height());
  }
  if (rect.contains(viewport()->rect())) updateMargins();
}

void CodeEditor::resizeEvent(QResizeEvent* e) {
  QPlainTextEdit::resizeEvent(e);
  const QRect cr = contentsRect();
  lineNumbers_->setGeometry(QRect(cr.left(), cr.top(), lineNumberAreaWidth(), cr.height()));
}

void CodeEditor::paintLineNumbers(QPaintEvent* e) {
  QPainter painter(lineNumbers_);
  painter.fillRect(e->rect(), palette().color(QPalette::AlternateBase));
  QTextBlock block = firstVisibleBlock();
  int number = block.blockNumber() + 1;
  int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
  int bottom = top + qRound(blockBoundingRect(block).height());
  while (block.isValid() && top <= e->rect().bottom()) {
    if (block.isVisible() && bottom >= e->rect().top()) {
      const bool marked = number == markedLine_;
      painter.setPen(marked ? QColor(0xc0, 0x20, 0x20) : palette().color(QPalette::PlaceholderText));
      QFont f = font();
      f.setBold(marked);
      painter.setFont(f);
      painter.drawText(0, top, lineNumbers_->width() - 6, fontMetrics().height(), Qt::AlignRight, QString::number(number));
    }
    block = block.next();
    top = bottom;
    bottom = top + qRound(blockBoundingRect(block).height());
    ++number;
  }
}

void CodeEditor::markError(int line, int column) {
  markedLine_ = line;
  markedColumn_ = column;
  QList<QTextEdit::ExtraSelection> marks;
  if (line > 0) {
    const QTextBlock block = document()->findBlockByNumber(line - 1);
    if (block.isValid()) {
      QTextEdit::ExtraSelection whole;
      whole.format.setBackground(QColor(0xff, 0xe4, 0xe4));
      whole.format.setProperty(QTextFormat::FullWidthSelection, true);
      whole.cursor = QTextCursor(block);
      marks << whole;
      // The token at the column, underlined.
      const QString t = block.text();
      int from = std::clamp(column - 1, 0, static_cast<int>(t.size()));
      int to = from;
      while (to < t.size() && !t[to].isSpace() && t[to] != ',' && t[to] != '}' && t[to] != ']') ++to;
      if (to == from) to = std::min(static_cast<int>(t.size()), from + 1);
      QTextEdit::ExtraSelection token;
      token.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
      token.format.setUnderlineColor(QColor(0xd0, 0x00, 0x00));
      token.cursor = QTextCursor(block);
      token.cursor.setPosition(block.position() + from);
      token.cursor.setPosition(block.position() + to, QTextCursor::KeepAnchor);
      marks << token;
    }
  }
  setExtraSelections(marks);
  lineNumbers_->update();
}

void CodeEditor::goTo(int line, int column) {
  const QTextBlock block = document()->findBlockByNumber(std::max(0, line - 1));
  if (!block.isValid()) return;
  QTextCursor c(block);
  c.setPosition(block.position() + std::clamp(column - 1, 0, static_cast<int>(block.length()) - 1));
  setTextCursor(c);
  centerCursor();
  setFocus();
}

}  // namespace hwgui
