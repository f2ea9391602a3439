#include "folio/ingest/language.h"
#include "folio/ingest/text_encoding.h"

#include <QTest>

using namespace folio::ingest;

class TestTextEncoding : public QObject {
    Q_OBJECT
private slots:
    void validUtf8()
    {
        QVERIFY(isValidUtf8("plain ascii"));
        QVERIFY(isValidUtf8("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"));
        QVERIFY(!isValidUtf8("caf\xE9"));           // Latin-1 e-acute
        QVERIFY(!isValidUtf8("\xC0\xAF"));          // overlong '/'
        QVERIFY(!isValidUtf8("\xED\xA0\x80"));      // a surrogate
        QVERIFY(!isValidUtf8("\xE6\x97"));          // truncated
    }
    void latin1Fallback()
    {
        bool converted = false;
        QCOMPARE(toUtf8Text("caf\xE9", &converted), std::string("caf\xC3\xA9"));
        QVERIFY(converted);
        QCOMPARE(toUtf8Text("ok", &converted), std::string("ok"));
        QVERIFY(!converted);
    }
    void escapesInvalidBytesInNames()
    {
        QCOMPARE(escapeInvalidUtf8("caf\xE9.txt"), std::string("caf\\xE9.txt"));
        QCOMPARE(escapeInvalidUtf8("caf\xC3\xA9.txt"), std::string("caf\xC3\xA9.txt"));
    }
    void binaryHeuristic()
    {
        QVERIFY(looksBinary(std::string("ab\0cd", 5)));
        QVERIFY(!looksBinary("text\nmore"));
    }
    void languages()
    {
        QCOMPARE(detectLanguage("src/a.cpp", ""), std::string("C++"));
        QCOMPARE(detectLanguage("lib/x.PY", ""), std::string("Python"));
        QCOMPARE(detectLanguage("CMakeLists.txt", ""), std::string("CMake"));
        QCOMPARE(detectLanguage("bin/tool", "#!/usr/bin/env python3\nprint()"), std::string("Python"));
        QCOMPARE(detectLanguage("run", "#!/bin/bash -e\n"), std::string("Shell"));
        QCOMPARE(detectLanguage("data.bin", "\x7f" "ELF"), std::string());
    }
};

QTEST_APPLESS_MAIN(TestTextEncoding)
#include "tst_textencoding.moc"
