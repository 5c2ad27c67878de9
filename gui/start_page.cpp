#include "gui/start_page.hpp"

#include <algorithm>
#include <QFontMetrics>

#include <QEvent>

#include <QApplication>
#include <QFileInfo>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QTextDocument>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include "gui/preferences.hpp"

namespace hwgui {

namespace {
constexpr int kPathRole = Qt::UserRole;
constexpr int kNameRole = Qt::UserRole + 1;
constexpr int kStoryRole = Qt::UserRole + 2;

// A scenario as its name in bold over its story, wrapped to the list's width.
class StoryDelegate : public QStyledItemDelegate {
 public:
  explicit StoryDelegate(QListWidget* list) : QStyledItemDelegate(list), list_(list) {}

  void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    QStyleOptionViewItem o = option;
    initStyleOption(&o, index);
    o.text.clear();
    const QWidget* w = o.widget;
    (w ? w->style() : QApplication::style())->drawControl(QStyle::CE_ItemViewItem, &o, p, w);
    QTextDocument doc;
    prepare(doc, index, option.rect.width(), (o.state & QStyle::State_Selected) != 0, o.palette);
    p->save();
    p->translate(option.rect.topLeft() + QPoint(kPad, kPad / 2));
    doc.drawContents(p);
    p->restore();
  }

  [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    QTextDocument doc;
    const int width = list_->viewport()->width();
    prepare(doc, index, width, false, option.palette);
    return {width, static_cast<int>(doc.size().height()) + kPad};
  }

 private:
  static constexpr int kPad = 8;
  static void prepare(QTextDocument& doc, const QModelIndex& index, int width, bool selected, const QPalette& pal) {
    const QString name = index.data(kNameRole).toString().toHtmlEscaped();
    const QString story = index.data(kStoryRole).toString().toHtmlEscaped();
    const QColor text = pal.color(selected ? QPalette::HighlightedText : QPalette::Text);
    // The story in a softer colour than the name, yet readable: the dark palette's
    // placeholder grey (0x909090) was dim on its near-black rows.
    const QColor dim = selected ? text : darkPalette() ? QColor(0xc4, 0xc4, 0xc4) : pal.color(QPalette::PlaceholderText);
    doc.setDocumentMargin(0);
    doc.setTextWidth(std::max(100, width - 2 * kPad));
    doc.setHtml(QStringLiteral("<div style='color:%1'><b>%2</b></div><div style='color:%3'>%4</div>").arg(text.name(), name, dim.name(), story));
  }
  QListWidget* list_;
};
}  // namespace

StartPage::StartPage(std::vector<BundledScenario> bundled, QWidget* parent)
    : QWidget(parent), title_(new QLabel), bundled_(new QListWidget), recent_(new QListWidget) {
  title_->setWordWrap(true);
  setTitle();

  auto* newButton = new QPushButton(QStringLiteral("New scenario"));
  auto* openButton = new QPushButton(QStringLiteral("Open…"));
  connect(newButton, &QPushButton::clicked, this, &StartPage::newRequested);
  connect(openButton, &QPushButton::clicked, this, &StartPage::openDialogRequested);
  // Room around the text on either side (the style gave "New scenario" its text's width, its
  // edge touching the "o"): a text line's height in all, never less than the style's own.
  for (QPushButton* b : {newButton, openButton}) {
    const QFontMetrics fm(b->font());
    b->setMinimumWidth(std::max(b->sizeHint().width(), fm.horizontalAdvance(b->text()) + 2 * fm.height()));
  }
  newButton->setObjectName(QStringLiteral("newScenarioButton"));
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(newButton);
  buttons->addWidget(openButton);
  buttons->addStretch(1);

  bundled_->setWordWrap(true);
  bundled_->setSpacing(2);
  bundled_->setAlternatingRowColors(true);
  bundled_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  bundled_->setTextElideMode(Qt::ElideNone);
  bundled_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  bundled_->setResizeMode(QListView::Adjust);  // re-wrap the stories when the width changes
  bundled_->setItemDelegate(new StoryDelegate(bundled_));
  for (const auto& b : bundled) {
    auto* item = new QListWidgetItem(QStringLiteral("%1\n%2").arg(b.name, b.description));
    item->setData(kNameRole, b.name);
    item->setData(kStoryRole, b.description);
    item->setToolTip(QStringLiteral("%1\n\n%2").arg(QFileInfo(b.path).fileName(), b.description));
    item->setData(kPathRole, b.path);
    bundled_->addItem(item);
  }
  // One click opens.
  connect(bundled_, &QListWidget::itemClicked, this, [this](QListWidgetItem* it) { Q_EMIT openRequested(it->data(kPathRole).toString()); });
  connect(recent_, &QListWidget::itemClicked, this, [this](QListWidgetItem* it) { Q_EMIT openRequested(it->data(kPathRole).toString()); });

  auto* bundledLabel = new QLabel(QStringLiteral("<b>Bundled scenarios</b> — one story each; click to open"));
  auto* recentLabel = new QLabel(QStringLiteral("<b>Recent files</b>"));
  recent_->setMaximumHeight(130);

  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(24, 12, 24, 12);
  l->addWidget(title_);
  l->addLayout(buttons);
  l->addSpacing(8);
  l->addWidget(bundledLabel);
  l->addWidget(bundled_, 1);
  l->addWidget(recentLabel);
  l->addWidget(recent_);
}

void StartPage::setTitle() {
  // The subtitle in grey that reads on either palette (#555 was dim on the dark one).
  title_->setText(QStringLiteral("<h1 style='margin-bottom:0'>hwplan</h1>"
                                 "<p style='color:%1'>Edge servers, GPU servers in a data centre, or both? "
                                 "Open a scenario, run it, and see which deployment meets every target at the lowest cost, and why.</p>")
                      .arg(darkPalette() ? QStringLiteral("#c4c4c4") : QStringLiteral("#555555")));
}

void StartPage::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange) setTitle();
}

void StartPage::setRecentFiles(const QStringList& files) {
  recent_->clear();
  for (const QString& f : files) {
    auto* item = new QListWidgetItem(QStringLiteral("%1 — %2").arg(QFileInfo(f).fileName(), QFileInfo(f).absolutePath()));
    item->setData(kPathRole, f);
    recent_->addItem(item);
  }
  if (files.isEmpty()) {
    auto* item = new QListWidgetItem(QStringLiteral("(none yet)"));
    item->setFlags(Qt::NoItemFlags);
    recent_->addItem(item);
  }
}

}  // namespace hwgui
