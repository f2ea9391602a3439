#pragma once

#include <git2.h>

#include <map>
#include <string>

namespace folio::test {

// Makes git repositories for tests with libgit2: commits are built from an in-memory file map (so paths can be
// any bytes, as in real repositories), without touching a working tree.
class RepoBuilder {
public:
    RepoBuilder(const std::string& dir, bool bare = false);
    ~RepoBuilder();
    RepoBuilder(const RepoBuilder&) = delete;
    RepoBuilder& operator=(const RepoBuilder&) = delete;

    void setFile(const std::string& path, const std::string& content, git_filemode_t mode = GIT_FILEMODE_BLOB);
    void setSubmodule(const std::string& path, const std::string& commitId);
    void removeFile(const std::string& path);
    // Commits the current file map on refs/heads/<branch> (HEAD points at main) and returns the commit id.
    std::string commit(const std::string& message, const std::string& branch = "main");
    void tag(const std::string& name, const std::string& commitId);
    // Writes a file in the working tree and, when `track`, adds it to the index.
    void writeWorkingFile(const std::string& path, const std::string& content, bool track);

    git_repository* repo() const { return repo_; }
    const std::string& dir() const { return dir_; }

private:
    git_oid buildTree(const std::string& prefix);

    struct Entry {
        std::string content;  // blob bytes, or the commit id for submodules
        git_filemode_t mode;
    };
    std::string dir_;
    git_repository* repo_ = nullptr;
    std::map<std::string, Entry> files_;
};

}  // namespace folio::test
