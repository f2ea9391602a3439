#pragma once

// A `folio serve` process for tests: started with the given arguments ("--workspace DIR serve ...") and a free
// port of 127.0.0.1, stopped (SIGTERM) when the object goes. Its log (stderr) is kept for checks.

#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace folio::test {

class ServeProcess {
public:
    ServeProcess(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());
    ~ServeProcess();

    bool started() const { return port_ > 0; }
    int port() const { return port_; }
    qint64 pid() const { return process_.processId(); }
    QByteArray log();  // stderr so far
    QByteArray startupOutput() const { return startup_; }

private:
    QProcess process_;
    QByteArray log_, startup_;
    int port_ = 0;
};

}  // namespace folio::test
