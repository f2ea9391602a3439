// File > Settings' remote engine: "Test connection" lists the server's models (here `folio serve` with a tiny model)
// in the model box with their context, says why when there is no server, and saving keeps the chosen model and
// the key file's path, never the key.

#include "folio/ui/settings_dialog.h"
#include "screenshot.h"
#include "serve_process.h"
#include "tiny_model.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace folio;

class TestSettingsDialog : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void listsTheServersModels()
    {
        const QString model = tmp.filePath("tiny.gguf");
        test::TinyModelSpec spec;
        spec.layers = 1;
        test::writeTinyModel(model.toStdString(), spec);
        // The server demands the key, so the dialog's probe must read it from the key file.
        const QString keyFile = tmp.filePath("key.txt");
        QFile key(keyFile);
        QVERIFY(key.open(QIODevice::WriteOnly));
        key.write("secret-never-stored\n");
        key.close();
        test::ServeProcess server({"--workspace", tmp.filePath("ws"), "serve", "--model", model, "--model-name", "tiny-remote",
                                   "--threads", "1", "--api-key-file", keyFile});
        QVERIFY2(server.started(), server.startupOutput().constData());

        ui::SettingsDialog dialog(tmp.path());
        dialog.remoteUrl()->setText(QString("http://127.0.0.1:%1/v1").arg(server.port()));
        dialog.remoteKeyFile()->setText(keyFile);
        QSignalSpy tested(&dialog, &ui::SettingsDialog::connectionTested);
        dialog.testConnection();
        QVERIFY(tested.wait(30000));
        QCOMPARE(tested.first().first().toBool(), true);
        QCOMPARE(dialog.remoteModel()->count(), 1);
        QCOMPARE(dialog.remoteModel()->itemText(0), QString("tiny-remote"));
        QCOMPARE(dialog.remoteModel()->currentText(), QString("tiny-remote"));
        QVERIFY2(dialog.connectionStatus()->text().contains("tiny-remote (context 4,096 tokens)"),
                 qPrintable(dialog.connectionStatus()->text()));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        test::saveScreenshot(dialog, "settings-remote-engine.png");

        QCOMPARE(dialog.attention()->currentData().toString(), QString("exact"));
        dialog.attention()->setCurrentIndex(dialog.attention()->findData("selected"));
        dialog.save();
        QSettings settings;
        QCOMPARE(settings.value("remote/model").toString(), QString("tiny-remote"));
        QCOMPARE(settings.value("engine/attention").toString(), QString("selected"));
        QCOMPARE(ui::SettingsDialog(tmp.path()).attention()->currentData().toString(), QString("selected"));
        for (const QString& k : settings.allKeys())
            QVERIFY2(!settings.value(k).toString().contains("secret-never-stored"), qPrintable(k));
    }

    void saysWhyWithoutAServer()
    {
        // A port that was free a moment ago: nothing listens there.
        const int socket = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        QVERIFY(::bind(socket, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        QVERIFY(::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        ::close(socket);
        const int port = ntohs(address.sin_port);
        ui::SettingsDialog dialog(tmp.path());
        dialog.remoteUrl()->setText(QString("http://127.0.0.1:%1/v1").arg(port));
        dialog.remoteModel()->setCurrentText("kept");
        QSignalSpy tested(&dialog, &ui::SettingsDialog::connectionTested);
        dialog.testConnection();
        QVERIFY(tested.wait(30000));
        QCOMPARE(tested.first().first().toBool(), false);
        QVERIFY2(dialog.connectionStatus()->text().startsWith("Failed: "), qPrintable(dialog.connectionStatus()->text()));
        QVERIFY2(dialog.connectionStatus()->text().contains(QString::number(port)), qPrintable(dialog.connectionStatus()->text()));
        QCOMPARE(dialog.remoteModel()->currentText(), QString("kept"));
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
