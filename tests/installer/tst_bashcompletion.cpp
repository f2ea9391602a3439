// The bash completion the package installs (installer/generate-cli-docs.sh over the real folio) offers what
// `folio --help` and each command's --help list: the completion cannot drift from the command line.

#include "folio_process.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using folio::test::runFolio;

namespace {

// The entries under one heading of CLI11's help ("Subcommands:", "Options:"): for options every name
// ("-n,--tokens INT=64" gives -n and --tokens), for subcommands the name.
QSet<QString> helpEntries(const QByteArray& help, const QString& heading)
{
    QSet<QString> names;
    bool inSection = false;
    for (const QString& line : QString::fromUtf8(help).split('\n')) {
        if (!line.isEmpty() && !line.startsWith(' ')) {
            inSection = line == heading + ':';
            continue;
        }
        if (!inSection || !line.startsWith("  ") || line.startsWith("   ")) continue;
        const QString first = line.trimmed().section(' ', 0, 0);
        for (const QString& name : first.split(',')) names.insert(name);
    }
    return names;
}

}  // namespace

class TestBashCompletion : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QString completion;

    // What the completion offers with the cursor after `folio WORDS...` (the last word being completed).
    QSet<QString> complete(const QStringList& words)
    {
        QString script = "source \"$0\"; COMP_WORDS=(folio";
        for (const QString& w : words) script += " '" + w + "'";
        script += QString("); COMP_CWORD=%1; _folio; printf '%s\\n' \"${COMPREPLY[@]}\"").arg(words.size());
        QProcess bash;
        bash.start("bash", {"-c", script, completion});
        if (!bash.waitForFinished(30000) || bash.exitCode() != 0) {
            qWarning() << "bash failed:" << bash.readAllStandardError();
            return {};
        }
        QSet<QString> offered;
        for (const QString& w : QString::fromUtf8(bash.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts))
            offered.insert(w);
        return offered;
    }
    QByteArray help(const QStringList& command)
    {
        const auto run = runFolio(command + QStringList{"--help"});
        if (run.exitCode != 0) qWarning() << command << "--help failed:" << run.err;
        return run.out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        QProcess generate;
        generate.start("bash", {FOLIO_GENERATE_CLI_DOCS, qEnvironmentVariable("FOLIO_EXECUTABLE"), dir.path()});
        QVERIFY(generate.waitForFinished(300000));
        QVERIFY2(generate.exitCode() == 0, generate.readAllStandardError().constData());
        completion = dir.filePath("folio");
    }
    void commandsAreThoseOfHelp()
    {
        const QSet<QString> commands = helpEntries(help({}), "Subcommands");
        QVERIFY(commands.contains("analyze") && commands.contains("sample"));
        QCOMPARE(complete({""}), commands);
        QCOMPARE(complete({"an"}), QSet<QString>{"analyze"});
    }
    void nestedCommandsAreThoseOfTheirHelp()
    {
        for (const char* parent : {"engine", "corpus", "cache"}) {
            const QSet<QString> commands = helpEntries(help({parent}), "Subcommands");
            QVERIFY2(!commands.isEmpty(), qPrintable(parent));
            QCOMPARE(complete({parent, ""}), commands);
        }
    }
    void everyCommandsOptionsAreThoseOfItsHelp()
    {
        QCOMPARE(complete({"--"}), helpEntries(help({}), "Options").subtract({"-h"}));
        for (const QString& command : helpEntries(help({}), "Subcommands")) {
            const QSet<QString> options = helpEntries(help({command}), "Options");
            QSet<QString> expected;
            for (const QString& o : options)
                if (o.startsWith("-")) expected.insert(o);
            QSet<QString> offered = complete({command, "-"});
            QCOMPARE(offered, expected);
        }
        QVERIFY(complete({"engine", "run", "--"}).contains("--prompt"));
    }
    void optionValues()
    {
        // A fixed set of values is offered; an option's value is not read as a subcommand.
        QCOMPARE(complete({"ask", "--thinking", ""}), (QSet<QString>{"on", "off", "default"}));
        QCOMPARE(complete({"--workspace", "engine", "en"}), QSet<QString>{"engine"});
        // Free values and positionals are left to the shell's file completion.
        QVERIFY(complete({"ingest", ""}).isEmpty());
        QVERIFY(complete({"--workspace", ""}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBashCompletion)
#include "tst_bashcompletion.moc"
