#include "folio/ui/analysis_views.h"

#include "folio/app/analysis_store.h"

#include <QCryptographicHash>
#include <QHeaderView>

#include <map>

namespace folio::ui {
namespace {

enum Role { DocumentRole = Qt::UserRole + 1, PageRole, BoxesRole, ColorRole };

QString shortened(const std::string& text, int width = 140)
{
    QString s = QString::fromStdString(text).simplified();
    return s.size() > width ? s.left(width - 1) + QChar(0x2026) : s;
}

}  // namespace

QVector<QRectF> boxesOn(const std::vector<analysis::PageRegion>& regions, int page)
{
    QVector<QRectF> out;
    for (const auto& r : regions)
        if (r.page == page)
            out.push_back(QRectF(QPointF(r.box.x0, r.box.y0), QPointF(r.box.x1, r.box.y1)));
    return out;
}

QColor categoryColor(const QString& category)
{
    const QByteArray h = QCryptographicHash::hash(category.toUtf8(), QCryptographicHash::Md5);
    return QColor::fromHsv(static_cast<unsigned char>(h[0]) * 359 / 255, 170, 225);
}

AnalysisTree::AnalysisTree(const QStringList& headers, QWidget* parent) : QTreeWidget(parent)
{
    setHeaderLabels(headers);
    setRootIsDecorated(true);
    setUniformRowHeights(true);
    // The text column takes the room; page and confidence are as wide as their numbers.
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < headers.size(); ++c) header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    auto request = [this](QTreeWidgetItem* item) {
        const Location l = locationOf(item);
        if (l.document) emit locationRequested(l);
    };
    connect(this, &QTreeWidget::itemActivated, this, [request](QTreeWidgetItem* item, int) { request(item); });
    connect(this, &QTreeWidget::itemClicked, this, [request](QTreeWidgetItem* item, int) { request(item); });
}

void AnalysisTree::setLocation(QTreeWidgetItem* item, const Location& l)
{
    item->setData(0, DocumentRole, l.document);
    item->setData(0, PageRole, l.page);
    QVariantList boxes;
    for (const QRectF& b : l.boxes) boxes.push_back(b);
    item->setData(0, BoxesRole, boxes);
    item->setData(0, ColorRole, l.color);
}

Location AnalysisTree::locationOf(const QTreeWidgetItem* item)
{
    Location l;
    if (!item) return l;
    l.document = item->data(0, DocumentRole).toLongLong();
    l.page = item->data(0, PageRole).toInt();
    for (const QVariant& v : item->data(0, BoxesRole).toList()) l.boxes.push_back(v.toRectF());
    l.color = item->data(0, ColorRole).value<QColor>();
    return l;
}

OutlineTree::OutlineTree(QWidget* parent) : AnalysisTree({tr("Outline"), tr("Page")}, parent) {}

void OutlineTree::load(const app::AnalysisStore& store, qint64 documentId)
{
    clear();
    const auto nodes = store.outline(documentId);
    if (nodes.empty()) {
        // Say why the dock is empty instead of leaving the reader to guess.
        auto* hint = new QTreeWidgetItem(this);
        hint->setText(0, tr("No analysis yet: File > Analyse contracts (Ctrl+Shift+A)"));
        hint->setFlags(Qt::NoItemFlags);
        return;
    }
    std::map<int, QTreeWidgetItem*> items;
    for (const auto& n : nodes) {
        QString label = QString::fromStdString(n.citation);
        QString title = QString::fromStdString(n.title);
        QString text = label.isEmpty() ? (title.isEmpty() ? QString::fromStdString(n.kind) : title)
                                       : (title.isEmpty() ? label : label + "  " + title);
        auto parent = items.find(n.parent);
        auto* item = parent == items.end() ? new QTreeWidgetItem(this) : new QTreeWidgetItem(parent->second);
        item->setText(0, text);
        item->setText(1, QString::number(n.page));
        item->setToolTip(0, QString::fromStdString(n.kind));
        setLocation(item, {documentId, n.page, boxesOn(n.regions, n.page), QColor(90, 140, 230)});
        items[n.node] = item;
    }
    expandToDepth(0);
}

ClauseTree::ClauseTree(QWidget* parent) : AnalysisTree({tr("Clause"), tr("Confidence"), tr("Page")}, parent) {}

void ClauseTree::load(const app::AnalysisStore& store, qint64 documentId)
{
    clear();
    std::map<std::string, QTreeWidgetItem*> categories;
    for (const auto& c : store.clauses(std::nullopt, documentId)) {
        if (c.confidence < minimumConfidence_) continue;
        const QColor color = categoryColor(QString::fromStdString(c.category));
        QTreeWidgetItem*& group = categories[c.category];
        if (!group) {
            group = new QTreeWidgetItem(this);
            group->setText(0, QString::fromStdString(c.category));
            group->setForeground(0, color.darker(160));
            group->setText(1, QString("%1%").arg(int(c.confidence * 100 + 0.5)));
            group->setText(2, QString::number(c.page));
            setLocation(group, {documentId, c.page, boxesOn(c.regions, c.page), color});
        }
        auto* item = new QTreeWidgetItem(group);
        item->setText(0, shortened(c.text));
        item->setToolTip(0, QString::fromStdString(c.text));
        item->setText(1, QString("%1%").arg(int(c.confidence * 100 + 0.5)));
        item->setText(2, QString::number(c.page));
        setLocation(item, {documentId, c.page, boxesOn(c.regions, c.page), color});
    }
}

TermTree::TermTree(QWidget* parent) : AnalysisTree({tr("Term"), tr("Uses"), tr("Page")}, parent) {}

void TermTree::load(const app::AnalysisStore& store, qint64 documentId)
{
    clear();
    for (const auto& t : store.terms(documentId)) {
        auto* item = new QTreeWidgetItem(this);
        QString name = QString::fromStdString(t.term);
        if (t.undefined) name += tr("  (used, never defined)");
        else if (t.definedTwice) name += tr("  (defined twice)");
        item->setText(0, name);
        item->setText(1, QString::number(t.useCount));
        item->setText(2, QString::number(t.page));
        const QString definition = t.undefined ? tr("No definition in this contract.")
                                 : !t.definedIn.empty() ? tr("Defined in %1: %2").arg(QString::fromStdString(t.definedIn),
                                                                                       QString::fromStdString(t.definition))
                                                        : QString::fromStdString(t.definition);
        item->setToolTip(0, definition);
        if (t.undefined || t.definedTwice) item->setForeground(0, QColor(190, 60, 40));
        setLocation(item, {documentId, t.page, boxesOn(t.regions, t.page), QColor(60, 170, 90)});
    }
}

ReferenceTree::ReferenceTree(QWidget* parent) : AnalysisTree({tr("Reference"), tr("Target"), tr("Page")}, parent)
{
    // References are short ("Section 6.1"); their targets carry the titles.
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(1, QHeaderView::Stretch);
}

void ReferenceTree::load(const app::AnalysisStore& store, qint64 documentId)
{
    clear();
    std::map<int, std::vector<analysis::PageRegion>> targets;
    for (const auto& n : store.outline(documentId)) targets[n.node] = n.regions;
    for (const auto& r : store.references(false, documentId)) {
        auto* item = new QTreeWidgetItem(this);
        item->setText(0, QString::fromStdString(r.text));
        item->setText(2, QString::number(r.page));
        if (r.targetNode >= 0) {
            item->setText(1, QString::fromStdString(r.targetTitle.empty() ? r.targetCitation
                                                                          : r.targetCitation + " " + r.targetTitle));
            item->setToolTip(1, tr("Follow to page %1").arg(r.targetPage));
            setLocation(item, {documentId, r.targetPage, boxesOn(targets[r.targetNode], r.targetPage), QColor(90, 140, 230)});
        } else {
            item->setText(1, tr("unresolved: %1").arg(QString::fromStdString(r.reason)));
            item->setForeground(1, QColor(190, 60, 40));
            setLocation(item, {documentId, r.page, boxesOn(r.regions, r.page), QColor(230, 90, 60)});
        }
    }
}

}  // namespace folio::ui
