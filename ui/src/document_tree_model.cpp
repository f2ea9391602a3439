#include "folio/ui/document_tree_model.h"

#include "folio/app/workspace_store.h"

#include <QFileInfo>
#include <QHash>

namespace folio::ui {

DocumentTreeModel::DocumentTreeModel(QObject* parent) : QStandardItemModel(parent)
{
    setHorizontalHeaderLabels({tr("Document"), tr("Status")});
}

void DocumentTreeModel::reload(const app::WorkspaceStore& store)
{
    removeRows(0, rowCount());
    for (const auto& source : store.sources()) {
        const QString location = QString::fromStdString(source.location);
        const QString count = source.documentCount == 1 ? tr("1 document") : tr("%1 documents").arg(source.documentCount);
        auto* sourceItem = new QStandardItem(QString("%1  (%2, %3)")
                                                 .arg(QFileInfo(location).fileName(), QString::fromStdString(source.kind), count));
        sourceItem->setToolTip(location);
        sourceItem->setEditable(false);
        sourceItem->setData(qint64(source.id), SourceIdRole);
        appendRow({sourceItem, new QStandardItem(QString::fromStdString(source.state))});
        // PDF paths are absolute: show them relative to the folder that was ingested.
        const QString prefix = source.kind == "pdf" ? location + '/' : QString();
        QHash<QString, QStandardItem*> folders;
        for (const auto& doc : store.documents(source.id)) {
            QString path = QString::fromStdString(doc.path);
            if (!prefix.isEmpty() && path.startsWith(prefix)) path = path.mid(prefix.size());
            else if (source.kind == "pdf") path = QFileInfo(path).fileName();
            QStandardItem* parent = sourceItem;
            const QStringList parts = path.split('/');
            QString folderKey;
            for (int i = 0; i + 1 < parts.size(); ++i) {
                folderKey += parts[i] + '/';
                QStandardItem*& folder = folders[folderKey];
                if (!folder) {
                    folder = new QStandardItem(parts[i]);
                    folder->setEditable(false);
                    parent->appendRow({folder, new QStandardItem()});
                }
                parent = folder;
            }
            auto* item = new QStandardItem(parts.last());
            item->setEditable(false);
            item->setData(qint64(doc.id), DocumentIdRole);
            item->setToolTip(QString::fromStdString(doc.reason.empty() ? doc.path : doc.path + "\n" + doc.reason));
            auto* status = new QStandardItem(QString::fromStdString(doc.status));
            status->setEditable(false);
            if (doc.status == "error") status->setForeground(Qt::red);
            parent->appendRow({item, status});
        }
    }
}

QModelIndex DocumentTreeModel::indexOfDocument(qint64 documentId) const
{
    const QModelIndexList found =
        match(index(0, 0), DocumentIdRole, documentId, 1, Qt::MatchExactly | Qt::MatchRecursive);
    return found.isEmpty() ? QModelIndex() : found.first();
}

}  // namespace folio::ui
