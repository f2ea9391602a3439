#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

namespace folio::test {

// One run of the `folio` executable named by FOLIO_EXECUTABLE (set by ctest), as a user runs it.
struct FolioRun {
    int exitCode = -1;
    QByteArray out, err;
    QJsonObject json() const;
};

FolioRun runFolio(const QStringList& args, int timeoutMs = 300000);

}  // namespace folio::test
