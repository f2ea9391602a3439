#pragma once

// With FOLIO_SCREENSHOT_DIR set (scripts/screenshots.sh sets it to docs/screenshots), a widget as the user sees it
// is saved there under the name the user guide links; tst_userguide checks that every such name is linked.

#include <QString>
#include <QTest>
#include <QWidget>

namespace folio::test {

inline void saveScreenshot(QWidget& widget, const char* name)
{
    const QString dir = qEnvironmentVariable("FOLIO_SCREENSHOT_DIR");
    if (!dir.isEmpty()) QVERIFY2(widget.grab().save(dir + '/' + name), name);
}

}  // namespace folio::test
