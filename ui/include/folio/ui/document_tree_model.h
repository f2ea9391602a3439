#pragma once

#include <QStandardItemModel>

namespace folio::app {
class WorkspaceStore;
}

namespace folio::ui {

// Sources at the top, then the folders of their paths, then documents. Document items carry their id in
// DocumentIdRole, source items theirs in SourceIdRole; the tooltip says why a document was skipped or failed.
class DocumentTreeModel : public QStandardItemModel {
    Q_OBJECT
public:
    static constexpr int DocumentIdRole = Qt::UserRole + 1;
    static constexpr int SourceIdRole = Qt::UserRole + 2;

    explicit DocumentTreeModel(QObject* parent = nullptr);
    void reload(const app::WorkspaceStore& store);
    // The index of the document with this id, invalid when absent.
    QModelIndex indexOfDocument(qint64 documentId) const;
};

}  // namespace folio::ui
