#include "folio/ingest/repository_reader.h"
#include "repo_builder.h"

#include <QTemporaryDir>
#include <QTest>

using namespace folio;
using ingest::DocumentStatus;
using ingest::RepositoryReader;

namespace {

const ingest::TreeEntry* find(const std::vector<ingest::TreeEntry>& entries, const std::string& path)
{
    for (const auto& e : entries)
        if (e.path == path) return &e;
    return nullptr;
}

std::vector<std::string> paths(const std::vector<ingest::TreeEntry>& entries)
{
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.path);
    return out;
}

}  // namespace

class TestRepositoryReader : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::string at(const char* name) { return tmp.filePath(name).toStdString(); }

private slots:
    void readsEveryKindOfEntry()
    {
        test::RepoBuilder repo(at("kinds"));
        repo.setFile("src/main.cpp", "int main() { return 0; }\n");
        repo.setFile("tools/run", "#!/usr/bin/env python3\nprint('hi')\n", GIT_FILEMODE_BLOB_EXECUTABLE);
        repo.setFile("assets/logo.png", std::string("\x89PNG\r\n\x1a\n\0\0\0", 11));
        repo.setFile("data/big.txt", std::string(4096, 'x'));
        repo.setFile("media/video.mp4", "version https://lfs.example.invalid/spec/v1\noid sha256:"
                                        + std::string(64, 'a') + "\nsize 123456789\n");
        repo.setFile("caf\xE9.txt", "na\xEFve latin-1 text\n");
        repo.setFile("link", "src/main.cpp", GIT_FILEMODE_LINK);
        repo.setSubmodule("vendor/lib", std::string(40, '1'));
        repo.commit("all kinds");

        RepositoryReader reader(at("kinds"), {"", false, 1024});
        const auto entries = reader.entries();
        QCOMPARE(entries.size(), std::size_t(8));
        QVERIFY(std::is_sorted(entries.begin(), entries.end(), [](auto& a, auto& b) { return a.path < b.path; }));

        const auto code = reader.read(*find(entries, "src/main.cpp"));
        QCOMPARE(code.status, DocumentStatus::Ok);
        QCOMPARE(code.language, std::string("C++"));
        QCOMPARE(code.text, std::string("int main() { return 0; }\n"));
        QCOMPARE(code.contentHash, find(entries, "src/main.cpp")->blobId);

        QCOMPARE(reader.read(*find(entries, "tools/run")).language, std::string("Python"));

        const auto binary = reader.read(*find(entries, "assets/logo.png"));
        QCOMPARE(binary.status, DocumentStatus::Skipped);
        QCOMPARE(binary.reason, std::string("binary file"));

        const auto big = reader.read(*find(entries, "data/big.txt"));
        QCOMPARE(big.status, DocumentStatus::Skipped);
        QVERIFY2(big.reason.find("size limit") != std::string::npos, big.reason.c_str());
        QCOMPARE(big.size, std::uint64_t(4096));

        const auto lfs = reader.read(*find(entries, "media/video.mp4"));
        QCOMPARE(lfs.status, DocumentStatus::Skipped);
        QVERIFY(lfs.reason.find("LFS") != std::string::npos);
        QCOMPARE(lfs.metadata.at("lfs_size"), std::string("123456789"));

        const auto latin = reader.read(*find(entries, "caf\\xE9.txt"));
        QCOMPARE(latin.status, DocumentStatus::Ok);
        QCOMPARE(latin.text, std::string("na\xC3\xAFve latin-1 text\n"));
        QCOMPARE(latin.metadata.at("encoding"), std::string("latin-1"));

        QCOMPARE(reader.read(*find(entries, "link")).reason, std::string("symbolic link"));

        const auto sub = reader.read(*find(entries, "vendor/lib"));
        QCOMPARE(sub.status, DocumentStatus::Skipped);
        QVERIFY(sub.reason.find("submodule") != std::string::npos);
        QCOMPARE(sub.metadata.at("submodule_commit"), std::string(40, '1'));
    }
    void readsRefsAndBareRepositories()
    {
        test::RepoBuilder repo(at("bare.git"), true);
        repo.setFile("README", "version one\n");
        const std::string v1 = repo.commit("one");
        repo.tag("v1", v1);
        repo.setFile("README", "version two\n");
        repo.setFile("NEWS", "news\n");
        repo.commit("two");
        repo.setFile("feature.txt", "on a branch\n");
        repo.commit("feature", "topic");

        RepositoryReader head(at("bare.git"));
        QVERIFY(head.isBare());
        QCOMPARE(paths(head.entries()), (std::vector<std::string>{"NEWS", "README"}));
        QCOMPARE(head.read(*find(head.entries(), "README")).text, std::string("version two\n"));

        RepositoryReader tagged(at("bare.git"), {"v1"});
        QCOMPARE(tagged.commitId(), v1);
        QCOMPARE(tagged.read(*find(tagged.entries(), "README")).text, std::string("version one\n"));

        RepositoryReader branch(at("bare.git"), {"topic"});
        QVERIFY(find(branch.entries(), "feature.txt"));

        RepositoryReader byId(at("bare.git"), {v1.substr(0, 10)});
        QCOMPARE(byId.commitId(), v1);

        QVERIFY_THROWS_EXCEPTION(ingest::IngestError, RepositoryReader(at("bare.git"), {"no-such-ref"}));
        QVERIFY_THROWS_EXCEPTION(ingest::IngestError, RepositoryReader(at("not-a-repo")));
        QVERIFY_THROWS_EXCEPTION(ingest::IngestError, RepositoryReader(at("bare.git"), {"", true}));
    }
    void treeDiffNamesOnlyTheChanges()
    {
        test::RepoBuilder repo(at("diff"));
        for (int i = 0; i < 50; ++i) repo.setFile("src/file" + std::to_string(i) + ".c", "int f" + std::to_string(i) + ";\n");
        repo.commit("base");
        RepositoryReader before(at("diff"));
        const std::string oldTree = before.treeId();

        repo.setFile("src/file3.c", "int changed;\n");
        repo.removeFile("src/file7.c");
        repo.setFile("src/new.c", "int added;\n");
        repo.commit("change three files");

        RepositoryReader after(at("diff"));
        const auto changes = after.changesSince(oldTree);
        QCOMPARE(paths(changes.addedOrModified), (std::vector<std::string>{"src/file3.c", "src/new.c"}));
        QCOMPARE(changes.deleted, std::vector<std::string>{"src/file7.c"});
        QCOMPARE(after.blobsRead(), std::uint64_t(0));  // the diff compares ids, it reads no content
        QVERIFY_THROWS_EXCEPTION(ingest::IngestError, after.changesSince(std::string(40, 'f')));
    }
    void workingTreeFollowsGitignore()
    {
        test::RepoBuilder repo(at("wt"));
        repo.writeWorkingFile(".gitignore", "build/\n*.log\n", true);
        repo.writeWorkingFile("src/app.cpp", "// tracked\n", true);
        repo.writeWorkingFile("forced.log", "tracked although ignored\n", true);
        repo.writeWorkingFile("notes.md", "untracked, not ignored\n", false);
        repo.writeWorkingFile("build/out.o", "ignored\n", false);
        repo.writeWorkingFile("debug.log", "ignored\n", false);

        RepositoryReader reader(at("wt"), {"", true});
        QCOMPARE(reader.treeId(), std::string());
        QCOMPARE(paths(reader.entries()),
                 (std::vector<std::string>{".gitignore", "forced.log", "notes.md", "src/app.cpp"}));
        QCOMPARE(reader.read(*find(reader.entries(), "notes.md")).text, std::string("untracked, not ignored\n"));
    }
};

QTEST_APPLESS_MAIN(TestRepositoryReader)
#include "tst_repositoryreader.moc"
