#include "folio_process.h"

#include <QJsonDocument>
#include <QProcess>

namespace folio::test {

QJsonObject FolioRun::json() const
{
    return QJsonDocument::fromJson(out).object();
}

FolioRun runFolio(const QStringList& args, int timeoutMs)
{
    QProcess p;
    p.start(QString::fromUtf8(qgetenv("FOLIO_EXECUTABLE")), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-1, {}, "timed out"};
    }
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

}  // namespace folio::test
