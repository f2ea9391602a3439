// Code navigation in the workbench over an ingested C++ repository: F12 and Ctrl+click go to the definition
// (through the history, so Back returns), a chooser when two definitions are as likely, Shift+F12 lists the
// references in the results dock, hovering shows the signature and comment, Ctrl+T finds a symbol, the Outline
// dock shows the file's definitions nested, and completion opens after two typed characters and on Ctrl+Space.
// With FOLIO_SCREENSHOT_DIR set, each is saved there as the screen shows it (popups are windows of their own).

#include "folio/app/ingest_service.h"
#include "folio/app/workspace_store.h"
#include "folio/ui/code_outline_tree.h"
#include "folio/ui/code_view.h"
#include "folio/ui/main_window.h"
#include "folio/ui/symbol_search_dialog.h"
#include "repo_builder.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCompleter>
#include <QDockWidget>
#include <QLineEdit>
#include <QListWidget>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QToolTip>
#include <QTreeWidget>

using namespace folio;

namespace {

const char* kHeader = R"(#pragma once
namespace geo {
/// A polygon with straight sides.
class Shape {
public:
    double area() const;
    int sides;
};
/// Doubles a length.
double scale(double x);
}
)";

const char* kSource = R"(#include "shapes/shape.h"
namespace geo {
double Shape::area() const { return sides * 1.5; }
double scale(double x) { return x * 2; }
}
)";

const char* kMain = R"(#include "shapes/shape.h"
int render(int w) { return w; }
int main() {
    geo::Shape s;
    double a = s.area();
    return render(2) + int(geo::scale(a)) + draw();
}
)";

}  // namespace

class TestCodeNavigation : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString workspace;

    qint64 documentId(const char* path)
    {
        return qint64(app::WorkspaceStore(workspace.toStdString()).findDocument(path)->id);
    }
    // A window showing `path` with the caret on (1-based) line and column.
    std::unique_ptr<ui::MainWindow> windowOn(const char* path, int line, int column)
    {
        auto window = std::make_unique<ui::MainWindow>(workspace);
        window->show();
        window->activateWindow();
        if (!QTest::qWaitForWindowActive(window.get())) return nullptr;
        window->openDocument(documentId(path));
        placeCaret(*window->textView(), line, column);
        window->textView()->setFocus();
        return window;
    }
    static void placeCaret(ui::CodeView& view, int line, int column)
    {
        QTextCursor cursor(view.document()->findBlockByNumber(line - 1));
        cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, column - 1);
        view.setTextCursor(cursor);
    }
    static QString shownFile(const ui::MainWindow& window)
    {
        return QString::fromStdString(app::WorkspaceStore(window.workspaceDir().toStdString())
                                          .document(window.currentDocumentId())->path);
    }
    // The window and, over it, a popup or dialog, as the screen shows them.
    static void saveScreenshot(QWidget& window, const char* name, QWidget* over = nullptr)
    {
        const QString dir = qEnvironmentVariable("FOLIO_SCREENSHOT_DIR");
        if (dir.isEmpty()) return;
        QTest::qWait(150);
        QRect area = window.frameGeometry();
        if (over) area |= over->frameGeometry();
        const QPixmap shot = window.screen()->grabWindow(0, area.x(), area.y(), area.width(), area.height());
        QVERIFY(shot.save(dir + '/' + name));
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        workspace = tmp.filePath("ws");
        test::RepoBuilder repo(tmp.filePath("repo").toStdString());
        repo.setFile("include/shapes/shape.h", kHeader);
        repo.setFile("src/shape.cpp", kSource);
        repo.setFile("src/main.cpp", kMain);
        // Two definitions of draw() that main.cpp does not include: neither is nearer than the other.
        repo.setFile("lib/a/draw.cpp", "int draw() { return 1; }\n");
        repo.setFile("lib/b/draw.cpp", "int draw() { return 2; }\n");
        repo.commit("shapes");
        app::WorkspaceStore store(workspace.toStdString());
        QVERIFY(app::IngestService(store).ingest({tmp.filePath("repo").toStdString()}, {}).problems.empty());
    }
    void f12AndCtrlClickGoToTheDefinitionAndBackReturns()
    {
        auto window = windowOn("src/main.cpp", 6, 33);  // on scale
        QVERIFY(window);
        ui::CodeView* view = window->textView();
        QTest::keyClick(view, Qt::Key_F12);
        QTRY_COMPARE(shownFile(*window), QString("src/shape.cpp"));  // the definition, not the prototype
        QCOMPARE(view->textCursor().blockNumber(), 3);
        QCOMPARE(view->textCursor().selectedText(), QString("scale"));

        window->goBack();
        QCOMPARE(shownFile(*window), QString("src/main.cpp"));
        QCOMPARE(view->textCursor().blockNumber(), 5);
        QVERIFY(window->canGoForward());

        // Ctrl+click on s.area(): the member of geo::Shape, through the receiver's type.
        placeCaret(*view, 5, 19);
        const QPoint onArea = view->cursorRect().center() + QPoint(2, 0);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::ControlModifier, onArea);
        QTRY_COMPARE(shownFile(*window), QString("src/shape.cpp"));
        QCOMPARE(view->textCursor().blockNumber(), 2);
        QCOMPARE(view->textCursor().selectedText(), QString("area"));
        window->goBack();
        QCOMPARE(shownFile(*window), QString("src/main.cpp"));
        QCOMPARE(view->textCursor().blockNumber(), 4);
    }
    void aChooserOffersDefinitionsAsLikelyAsEachOther()
    {
        auto window = windowOn("src/main.cpp", 6, 46);  // on draw
        QVERIFY(window);
        QTest::keyClick(window->textView(), Qt::Key_F12);
        QTRY_VERIFY(window->definitionChooser() && window->definitionChooser()->isVisible());
        QMenu* chooser = window->definitionChooser();
        QStringList entries;
        for (QAction* action : chooser->actions())
            if (!action->isSeparator()) entries << action->text();
        QCOMPARE(entries.size(), 2);
        QVERIFY2(entries[0].startsWith("lib/a/draw.cpp:1") && entries[0].contains("function") && entries[0].contains("repository"),
                 qPrintable(entries[0]));
        QVERIFY(entries[1].startsWith("lib/b/draw.cpp:1"));
        saveScreenshot(*window, "code-definition-chooser.png", chooser);
        chooser->actions().last()->trigger();
        chooser->close();
        QCOMPARE(shownFile(*window), QString("lib/b/draw.cpp"));
        QCOMPARE(window->textView()->textCursor().selectedText(), QString("draw"));
        window->goBack();
        QCOMPARE(shownFile(*window), QString("src/main.cpp"));
    }
    void shiftF12ListsTheReferences()
    {
        auto window = windowOn("src/main.cpp", 6, 33);  // on scale
        QVERIFY(window);
        QTest::keyClick(window->textView(), Qt::Key_F12, Qt::ShiftModifier);
        QListWidget* results = window->searchResults();
        QTRY_COMPARE(results->count(), 3);
        QCOMPARE(results->item(0)->text(), QString("include/shapes/shape.h:10: double scale(double x);"));
        QCOMPARE(results->item(1)->text(), QString("src/main.cpp:6: return render(2) + int(geo::scale(a)) + draw();"));
        QCOMPARE(results->item(2)->text(), QString("src/shape.cpp:4: double scale(double x) { return x * 2; }"));
        QCOMPARE(static_cast<QDockWidget*>(results->parentWidget())->windowTitle(), QString("References to scale"));
        saveScreenshot(*window, "code-references.png");

        results->setCurrentRow(0);
        QCOMPARE(shownFile(*window), QString("include/shapes/shape.h"));
        QCOMPARE(window->textView()->textCursor().blockNumber(), 9);
        QCOMPARE(window->textView()->textCursor().selectedText(), QString("scale"));
        window->goBack();
        QCOMPARE(shownFile(*window), QString("src/main.cpp"));
    }
    void hoverShowsTheSignatureAndComment()
    {
        auto window = windowOn("src/main.cpp", 6, 33);
        QVERIFY(window);
        ui::CodeView* view = window->textView();
        const QPoint onScale = view->cursorRect().center() + QPoint(2, 0);
        QHelpEvent hover(QEvent::ToolTip, onScale, view->viewport()->mapToGlobal(onScale));
        QApplication::sendEvent(view->viewport(), &hover);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains("double scale(double x)"), qPrintable(QToolTip::text()));
        QVERIFY(QToolTip::text().contains("Doubles a length."));  // the prototype's comment
        QWidget* tip = nullptr;
        for (QWidget* w : QApplication::topLevelWidgets())
            if (w->inherits("QTipLabel") && w->isVisible()) tip = w;
        saveScreenshot(*window, "code-hover.png", tip);
        QToolTip::hideText();
    }
    void ctrlTFindsASymbolAndOpensIt()
    {
        auto window = windowOn("src/main.cpp", 1, 1);
        QVERIFY(window);
        QTest::keyClick(window->textView(), Qt::Key_T, Qt::ControlModifier);
        auto* search = window->findChild<ui::SymbolSearchDialog*>();
        QVERIFY(search && search->isVisible());
        QTest::keyClicks(search->query(), "shp");
        QTRY_VERIFY(search->list()->topLevelItemCount() > 0);
        QTRY_COMPARE(search->list()->topLevelItem(0)->text(1), QString("Shape"));
        QCOMPARE(search->list()->topLevelItem(0)->text(0), QString("class"));
        QCOMPARE(search->list()->topLevelItem(0)->text(3), QString("include/shapes/shape.h:4"));
        saveScreenshot(*window, "code-symbol-search.png", search);
        QTest::keyClick(search->query(), Qt::Key_Return);
        QVERIFY(!search->isVisible());
        QCOMPARE(shownFile(*window), QString("include/shapes/shape.h"));
        QCOMPARE(window->textView()->textCursor().blockNumber(), 3);
        QCOMPARE(window->textView()->textCursor().selectedText(), QString("Shape"));
    }
    void outlineShowsTheFilesDefinitionsNested()
    {
        auto window = windowOn("include/shapes/shape.h", 1, 1);
        QVERIFY(window);
        ui::CodeOutlineTree* outline = window->codeOutline();
        QVERIFY(outline->isVisible());
        QTRY_VERIFY(outline->topLevelItemCount() > 0);
        QTreeWidgetItem* geo = outline->topLevelItem(0);
        QCOMPARE(outline->topLevelItemCount(), 1);
        QCOMPARE(geo->text(0), QString("geo"));
        QCOMPARE(geo->childCount(), 2);
        QTreeWidgetItem* shape = geo->child(0);
        QCOMPARE(shape->text(0), QString("Shape"));
        QCOMPARE(shape->text(1), QString("class"));
        QCOMPARE(shape->childCount(), 2);
        QCOMPARE(shape->child(0)->text(0), QString("area"));
        QCOMPARE(shape->child(1)->text(0), QString("sides"));
        QCOMPARE(geo->child(1)->text(0), QString("scale"));
        saveScreenshot(*window, "code-outline.png");

        emit outline->itemClicked(shape->child(1), 0);
        QCOMPARE(window->textView()->textCursor().blockNumber(), 6);
        QCOMPARE(window->textView()->textCursor().selectedText(), QString("sides"));
        QVERIFY(window->canGoBack());
    }
    void completionAfterTwoCharactersAndOnCtrlSpace()
    {
        auto window = windowOn("src/main.cpp", 7, 1);  // before main's closing brace
        QVERIFY(window);
        ui::CodeView* view = window->textView();
        QAbstractItemView* popup = view->completer()->popup();
        QTest::keyClick(view, Qt::Key_R);
        QTest::qWait(100);
        QVERIFY(!popup->isVisible());  // one character is not enough
        QTest::keyClick(view, Qt::Key_E);
        QTRY_VERIFY(popup->isVisible());
        QCOMPARE(popup->model()->index(0, 0).data().toString(), QString("render"));
        saveScreenshot(*window, "code-completion.png", popup);
        QTest::keyClick(view, Qt::Key_Tab);
        QVERIFY(!popup->isVisible());
        QCOMPARE(view->textCursor().block().text(), QString("render}"));

        // Esc closes it; Ctrl+Space opens it again for the word before the caret.
        QTest::keyClick(view, Qt::Key_Return);
        QTest::keyClicks(view, "dr");
        QTRY_VERIFY(popup->isVisible());
        QTest::keyClick(view, Qt::Key_Escape);
        QVERIFY(!popup->isVisible());
        QTest::keyClick(view, Qt::Key_Space, Qt::ControlModifier);
        QTRY_VERIFY(popup->isVisible());
        QCOMPARE(popup->model()->index(0, 0).data().toString(), QString("draw"));
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(view->textCursor().block().text(), QString("draw}"));
    }
    // An ingest while the window is open (here: the definition moved a line down) is what the next answer reads:
    // nothing the navigator read for an earlier answer is kept. Last, since it changes the repository.
    void answersFollowAnIngestWhileTheWindowIsOpen()
    {
        auto window = windowOn("src/main.cpp", 6, 33);  // on scale
        QVERIFY(window);
        ui::CodeView* view = window->textView();
        QTest::keyClick(view, Qt::Key_F12);
        QTRY_COMPARE(shownFile(*window), QString("src/shape.cpp"));
        QCOMPARE(view->textCursor().blockNumber(), 3);
        window->goBack();

        test::RepoBuilder repo(tmp.filePath("repo").toStdString());
        repo.setFile("include/shapes/shape.h", kHeader);
        repo.setFile("src/shape.cpp", std::string("// Shapes.\n") + kSource);
        repo.setFile("src/main.cpp", kMain);
        repo.setFile("lib/a/draw.cpp", "int draw() { return 1; }\n");
        repo.setFile("lib/b/draw.cpp", "int draw() { return 2; }\n");
        repo.commit("a comment on top");
        {
            app::WorkspaceStore store(workspace.toStdString());
            QCOMPARE(app::IngestService(store).ingest({tmp.filePath("repo").toStdString()}, {}).updated, std::uint64_t(1));
        }
        window->openDocument(documentId("src/main.cpp"));
        placeCaret(*view, 6, 33);
        QTest::keyClick(view, Qt::Key_F12);
        QTRY_COMPARE(shownFile(*window), QString("src/shape.cpp"));
        QTRY_COMPARE(view->textCursor().blockNumber(), 4);
        QCOMPARE(view->textCursor().selectedText(), QString("scale"));
    }
};

QTEST_MAIN(TestCodeNavigation)
#include "tst_codenavigation.moc"
