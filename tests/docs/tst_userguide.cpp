// The user guide (docs/guide/) against what it describes: every link leads to a file that exists, every screenshot
// the UI tests save is shown in the guide and every image in docs/screenshots is one they save (so a renamed or
// dropped screenshot fails here, not in a reader's browser), and every `folio` command line in the guide's code
// blocks names a real subcommand and only options its --help lists (asked of the real executable).

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

class TestUserGuide : public QObject {
    Q_OBJECT
    const QDir source{FOLIO_SOURCE_DIR};

    static QString read(const QString& path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
        return QString::fromUtf8(f.readAll());
    }
    QStringList guidePages() const
    {
        QStringList pages;
        for (const QString& name : QDir(source.filePath("docs/guide")).entryList({"*.md"}, QDir::Files, QDir::Name))
            pages << source.filePath("docs/guide/" + name);
        return pages;
    }
    // Markdown link targets, [text](target) and ![alt](target), without their #anchor.
    static QStringList linkTargets(const QString& markdown)
    {
        QStringList targets;
        static const QRegularExpression link(R"(\]\(([^)\s]+)\))");
        for (auto it = link.globalMatch(markdown); it.hasNext();) targets << it.next().captured(1).section('#', 0, 0);
        return targets;
    }
    // The lines of the ``` blocks, a line ending in a backslash joined with the next.
    static QStringList codeLines(const QString& markdown)
    {
        QStringList lines;
        bool inBlock = false;
        QString pending;
        for (const QString& line : markdown.split('\n')) {
            if (line.trimmed().startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock) continue;
            pending += line.trimmed();
            if (pending.endsWith('\\')) {
                pending.chop(1);
                continue;
            }
            lines << pending;
            pending.clear();
        }
        return lines;
    }
    // Words as the shell splits them (quotes, no expansion); a word starting with # ends the line.
    static QStringList shellWords(const QString& line)
    {
        QStringList words;
        QString word;
        bool inWord = false;
        QChar quote;
        for (const QChar c : line) {
            if (!quote.isNull()) {
                if (c == quote) quote = QChar();
                else word += c;
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c.isSpace()) {
                if (inWord) words << word;
                word.clear();
                inWord = false;
            } else if (c == '#' && !inWord) {
                break;
            } else {
                word += c;
                inWord = true;
            }
        }
        if (inWord) words << word;
        return words;
    }
    static QString run(const QStringList& arguments)
    {
        QProcess folio;
        folio.start(qEnvironmentVariable("FOLIO_EXECUTABLE"), arguments);
        if (!folio.waitForFinished(30000)) return {};
        return QString::fromUtf8(folio.readAllStandardOutput());
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!guidePages().isEmpty(), qPrintable(source.filePath("docs/guide") + " has no pages"));
        QVERIFY2(!qEnvironmentVariableIsEmpty("FOLIO_EXECUTABLE"), "FOLIO_EXECUTABLE names the folio binary");
    }

    void everyLinkLeadsToAFile()
    {
        QStringList pages = guidePages();
        pages << source.filePath("README.md") << source.filePath("docs/README.md");
        for (const QString& page : pages) {
            for (const QString& target : linkTargets(read(page))) {
                if (target.isEmpty() || target.contains("://") || target.startsWith("mailto:")) continue;
                const QString path = QFileInfo(page).dir().filePath(target);
                QVERIFY2(QFileInfo::exists(path), qPrintable(page + " links to " + target + ", which does not exist"));
            }
        }
        QVERIFY2(linkTargets(read(source.filePath("README.md"))).contains("docs/guide/README.md"),
                 "README.md does not link to the user guide");
    }

    void everyScreenshotIsShownAndCurrent()
    {
        // The names the UI tests save, as string literals: "name.png" or "/name.png".
        QSet<QString> saved;
        static const QRegularExpression literal(R"re("/?([a-z0-9-]+\.png)")re");
        QDirIterator tests(source.filePath("tests/ui"), {"*.cpp"}, QDir::Files);
        while (tests.hasNext())
            for (auto it = literal.globalMatch(read(tests.next())); it.hasNext();) saved.insert(it.next().captured(1));
        QVERIFY2(saved.size() >= 10, qPrintable(QString("only %1 screenshot names found in tests/ui").arg(saved.size())));

        QSet<QString> shown;
        for (const QString& page : guidePages())
            for (const QString& target : linkTargets(read(page)))
                if (target.startsWith("../screenshots/")) shown.insert(QFileInfo(target).fileName());
        for (const QString& name : saved)
            QVERIFY2(shown.contains(name), qPrintable("the UI tests save " + name + ", which no guide page shows"));
        const QStringList files = QDir(source.filePath("docs/screenshots")).entryList({"*.png"}, QDir::Files);
        for (const QString& name : files)
            QVERIFY2(saved.contains(name), qPrintable("docs/screenshots/" + name + " is saved by no UI test: stale"));
    }

    void everyCommandLineIsOneFolioTakes()
    {
        const QString help = run({"--help"});
        QVERIFY2(help.contains("Subcommands:"), qPrintable(help));
        // Subcommands that take one of their own.
        const QSet<QString> groups{"engine", "corpus", "cache"};
        QMap<QString, QString> helpOf;
        int checked = 0;
        for (const QString& page : guidePages()) {
            for (const QString& line : codeLines(read(page))) {
                QStringList words = shellWords(line.startsWith("$ ") ? line.mid(2) : line);
                if (words.isEmpty() || words.first() != "folio") continue;
                words.removeFirst();
                if (words.size() >= 2 && words.first() == "--workspace") words.remove(0, 2);
                if (words.isEmpty() || words.first().startsWith('-')) continue;  // the workbench, or folio --help
                static const QRegularExpression commandWord("^[a-z]+$");
                if (!commandWord.match(words.first()).hasMatch()) continue;  // output such as "folio serve: ..."
                QStringList command{words.takeFirst()};
                const QString where = page + ": " + line;
                QVERIFY2(QRegularExpression("\n  " + QRegularExpression::escape(command.first()) + " ").match(help).hasMatch(),
                         qPrintable(where + "\n'" + command.first() + "' is not a subcommand of folio"));
                if (groups.contains(command.first()) && !words.isEmpty()) command << words.takeFirst();
                const QString key = command.join(' ');
                if (!helpOf.contains(key)) helpOf[key] = run(command + QStringList{"--help"});
                QVERIFY2(helpOf[key].contains("Usage:"), qPrintable(where + "\n'folio " + key + "' is not a command of folio"));
                for (const QString& word : words) {
                    if (!word.startsWith('-') || word == "-") continue;
                    const QString option = word.section('=', 0, 0);
                    QVERIFY2(QRegularExpression("[ ,]" + QRegularExpression::escape(option) + "[ ,\n]").match(helpOf[key]).hasMatch(),
                             qPrintable(where + "\n'folio " + key + " --help' lists no " + option));
                }
                ++checked;
            }
        }
        QVERIFY2(checked >= 20, qPrintable(QString("only %1 folio command lines found in the guide").arg(checked)));
    }
};

QTEST_MAIN(TestUserGuide)
#include "tst_userguide.moc"
