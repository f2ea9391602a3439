#include "serve_process.h"

#include <QRegularExpression>

namespace folio::test {

ServeProcess::ServeProcess(const QStringList& args, const QProcessEnvironment& env)
{
    process_.setProcessEnvironment(env);
    process_.start(QString::fromUtf8(qgetenv("FOLIO_EXECUTABLE")), args + QStringList{"--port", "0"});
    const QRegularExpression listening("http://127\\.0\\.0\\.1:(\\d+)/v1");
    while (process_.waitForReadyRead(60000)) {
        startup_ += process_.readAllStandardOutput();
        const auto m = listening.match(QString::fromUtf8(startup_));
        if (m.hasMatch()) {
            port_ = m.captured(1).toInt();
            return;
        }
    }
    startup_ += process_.readAllStandardError();
}

ServeProcess::~ServeProcess()
{
    if (process_.state() == QProcess::NotRunning) return;
    process_.terminate();
    if (!process_.waitForFinished(30000)) process_.kill();
    process_.waitForFinished(5000);
}

QByteArray ServeProcess::log()
{
    log_ += process_.readAllStandardError();
    return log_;
}

}  // namespace folio::test
