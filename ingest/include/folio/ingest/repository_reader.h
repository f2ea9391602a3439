#pragma once

#include "folio/ingest/document.h"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace folio::ingest {

class IngestError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct RepositoryOptions {
    std::string ref;                              // branch, tag or commit; "" means HEAD
    bool workingTree = false;                     // read the files on disk as `git status` sees them
    std::uint64_t maxFileSize = 2 * 1024 * 1024;  // larger files are listed but not read
};

struct TreeEntry {
    enum class Kind { File, Symlink, Submodule };
    std::string path;     // as stored: UTF-8, invalid bytes written as \xNN
    std::string rawPath;  // the bytes git has, for reading the working tree
    std::string blobId;   // blob id (the submodule's commit id for submodules)
    Kind kind = Kind::File;
};

struct TreeChanges {
    std::vector<TreeEntry> addedOrModified;
    std::vector<std::string> deleted;  // paths as in TreeEntry::path
};

// A git repository, bare or not, read at one commit or as its working tree. Blobs are read only on demand, so
// callers compare blob ids first and read what changed. Not thread-safe: use one reader per thread.
class RepositoryReader {
public:
    // Raised whenever what the reader extracts changes, so workspaces re-read their files.
    static constexpr int kVersion = 1;
    // How a file skipped for RepositoryOptions::maxFileSize's reason begins, so a later ingest with another limit
    // can tell which decisions the new limit changes.
    static constexpr std::string_view kSizeLimitReason = "larger than the size limit";

    // Throws IngestError naming the path when it is not a repository or the ref does not resolve.
    RepositoryReader(const std::string& path, RepositoryOptions options = {});
    ~RepositoryReader();
    RepositoryReader(const RepositoryReader&) = delete;
    RepositoryReader& operator=(const RepositoryReader&) = delete;

    bool isBare() const;
    std::string commitId() const;  // the commit read; for a working tree, HEAD's commit ("" when unborn)
    std::string treeId() const;    // "" in working-tree mode: its content is not a tree yet
    std::string refName() const;   // as the user gave it, or "HEAD"

    // Every file of the tree (or of the working tree, without ignored files), sorted by path.
    std::vector<TreeEntry> entries() const;
    // What differs from an earlier tree of the same repository. Throws IngestError if that tree is unknown.
    TreeChanges changesSince(const std::string& oldTreeId) const;

    // The entry's content as a Document: text files read in full; binary files, files over the size limit,
    // Git LFS pointers, symbolic links and submodules come back Skipped with the reason.
    Document read(const TreeEntry& entry) const;

    // How many blobs have had their content read: what incremental re-ingest keeps small.
    std::uint64_t blobsRead() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace folio::ingest
