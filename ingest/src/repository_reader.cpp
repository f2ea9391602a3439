#include "folio/ingest/repository_reader.h"

#include "folio/ingest/language.h"
#include "folio/ingest/text_encoding.h"

#include <git2.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>

namespace folio::ingest {
namespace {

struct LibGit2 {
    LibGit2() { git_libgit2_init(); }
    ~LibGit2() { git_libgit2_shutdown(); }
};

void ensureLibGit2()
{
    static LibGit2 instance;
}

std::string lastGitError()
{
    const git_error* e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

template <typename T, void (*Free)(T*)>
struct GitPtr {
    T* p = nullptr;
    GitPtr() = default;
    GitPtr(const GitPtr&) = delete;
    GitPtr& operator=(const GitPtr&) = delete;
    GitPtr(GitPtr&& other) noexcept : p(other.p) { other.p = nullptr; }
    ~GitPtr() { if (p) Free(p); }
    T** out() { return &p; }
    T* get() const { return p; }
};
using RepoPtr = GitPtr<git_repository, git_repository_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using BlobPtr = GitPtr<git_blob, git_blob_free>;
using DiffPtr = GitPtr<git_diff, git_diff_free>;
using IndexPtr = GitPtr<git_index, git_index_free>;
using StatusPtr = GitPtr<git_status_list, git_status_list_free>;
using OdbPtr = GitPtr<git_odb, git_odb_free>;
using SubmodulePtr = GitPtr<git_submodule, git_submodule_free>;

std::string oidString(const git_oid* oid)
{
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, oid);
    return buf;
}

TreeEntry::Kind kindOfMode(git_filemode_t mode)
{
    if (mode == GIT_FILEMODE_COMMIT) return TreeEntry::Kind::Submodule;
    if (mode == GIT_FILEMODE_LINK) return TreeEntry::Kind::Symlink;
    return TreeEntry::Kind::File;
}

TreeEntry makeEntry(const std::string& raw, const git_oid* id, git_filemode_t mode)
{
    return TreeEntry{escapeInvalidUtf8(raw), raw, oidString(id), kindOfMode(mode)};
}

// A Git LFS pointer is a tiny text file: "version <spec url>", "oid sha256:<hex>", "size <n>".
bool parseLfsPointer(std::string_view text, std::string* oid, std::string* size)
{
    if (text.size() > 1024 || !text.starts_with("version ")) return false;
    const std::size_t o = text.find("\noid sha256:");
    const std::size_t s = text.find("\nsize ");
    if (o == std::string_view::npos || s == std::string_view::npos) return false;
    auto lineAt = [&](std::size_t from) { return std::string(text.substr(from, text.find('\n', from) - from)); };
    *oid = lineAt(o + 12);
    *size = lineAt(s + 6);
    return true;
}

}  // namespace

struct RepositoryReader::Impl {
    std::string path;
    RepositoryOptions options;
    RepoPtr repo;
    TreePtr tree;  // null in working-tree mode
    std::string commitId, treeId, refName;
    mutable std::uint64_t blobsRead = 0;

    [[noreturn]] void fail(const std::string& what) const
    {
        throw IngestError(path + ": " + what + ": " + lastGitError());
    }

    TreePtr lookupTree(const std::string& id) const
    {
        git_oid oid;
        TreePtr t;
        if (git_oid_fromstr(&oid, id.c_str()) != 0 || git_tree_lookup(t.out(), repo.get(), &oid) != 0)
            throw IngestError(path + ": tree " + id + " is not in this repository");
        return t;
    }

    std::vector<TreeEntry> treeEntries() const
    {
        std::vector<TreeEntry> out;
        auto callback = [](const char* root, const git_tree_entry* e, void* payload) -> int {
            const git_object_t type = git_tree_entry_type(e);
            if (type != GIT_OBJECT_BLOB && type != GIT_OBJECT_COMMIT) return 0;
            auto* list = static_cast<std::vector<TreeEntry>*>(payload);
            list->push_back(makeEntry(std::string(root) + git_tree_entry_name(e), git_tree_entry_id(e),
                                      git_tree_entry_filemode(e)));
            return 0;
        };
        if (git_tree_walk(tree.get(), GIT_TREEWALK_PRE, callback, &out) != 0) fail("cannot walk the tree");
        return out;
    }

    std::vector<TreeEntry> workingTreeEntries() const
    {
        const std::string workdir = git_repository_workdir(repo.get());
        std::vector<TreeEntry> out;
        auto addFile = [&](const std::string& raw, git_filemode_t mode) {
            git_oid oid;
            const std::string full = workdir + raw;
            if (mode == GIT_FILEMODE_COMMIT) {
                SubmodulePtr sm;
                if (git_submodule_lookup(sm.out(), repo.get(), raw.c_str()) == 0 && git_submodule_head_id(sm.get()))
                    out.push_back(makeEntry(raw, git_submodule_head_id(sm.get()), mode));
                return;
            }
            if (git_odb_hashfile(&oid, full.c_str(), GIT_OBJECT_BLOB) != 0) return;  // deleted on disk
            out.push_back(makeEntry(raw, &oid, mode));
        };
        // Tracked files: git status shows them whatever .gitignore says.
        IndexPtr index;
        if (git_repository_index(index.out(), repo.get()) != 0) fail("cannot read the index");
        const std::size_t n = git_index_entrycount(index.get());
        for (std::size_t i = 0; i < n; ++i) {
            const git_index_entry* e = git_index_get_byindex(index.get(), i);
            if (GIT_INDEX_ENTRY_STAGE(e) != 0 && GIT_INDEX_ENTRY_STAGE(e) != 2) continue;  // one side of a conflict
            addFile(e->path, git_filemode_t(e->mode));
        }
        // Untracked files that are not ignored, as `git status -uall` lists them.
        git_status_options opts = GIT_STATUS_OPTIONS_INIT;
        opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
        opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
        StatusPtr status;
        if (git_status_list_new(status.out(), repo.get(), &opts) != 0) fail("cannot read the status");
        for (std::size_t i = 0; i < git_status_list_entrycount(status.get()); ++i) {
            const git_status_entry* s = git_status_byindex(status.get(), i);
            if (s->status & GIT_STATUS_WT_NEW) addFile(s->index_to_workdir->new_file.path, GIT_FILEMODE_BLOB);
        }
        std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.path < b.path; });
        out.erase(std::unique(out.begin(), out.end(), [](auto& a, auto& b) { return a.path == b.path; }), out.end());
        return out;
    }

    // The entry's bytes, or false when the object is missing. Counted: incremental ingest keeps this small.
    bool loadContent(const TreeEntry& entry, std::string* bytes) const
    {
        ++blobsRead;
        if (options.workingTree) {
            std::ifstream in(std::string(git_repository_workdir(repo.get())) + entry.rawPath, std::ios::binary);
            if (!in) return false;
            std::ostringstream ss;
            ss << in.rdbuf();
            *bytes = ss.str();
            return true;
        }
        git_oid oid;
        BlobPtr blob;
        if (git_oid_fromstr(&oid, entry.blobId.c_str()) != 0 || git_blob_lookup(blob.out(), repo.get(), &oid) != 0)
            return false;
        bytes->assign(static_cast<const char*>(git_blob_rawcontent(blob.get())), git_blob_rawsize(blob.get()));
        return true;
    }

    // The size without reading the content: the object header for blobs, the file size on disk otherwise.
    bool contentSize(const TreeEntry& entry, std::uint64_t* size) const
    {
        if (options.workingTree) {
            std::ifstream in(std::string(git_repository_workdir(repo.get())) + entry.rawPath,
                             std::ios::binary | std::ios::ate);
            if (!in) return false;
            *size = std::uint64_t(in.tellg());
            return true;
        }
        OdbPtr odb;
        git_oid oid;
        std::size_t len = 0;
        git_object_t type;
        if (git_repository_odb(odb.out(), repo.get()) != 0 || git_oid_fromstr(&oid, entry.blobId.c_str()) != 0
            || git_odb_read_header(&len, &type, odb.get(), &oid) != 0)
            return false;
        *size = len;
        return true;
    }
};

RepositoryReader::RepositoryReader(const std::string& path, RepositoryOptions options)
    : d(std::make_unique<Impl>())
{
    ensureLibGit2();
    d->path = path;
    d->options = std::move(options);
    // No upward search: pointing at a sub-folder of a repository should not silently ingest all of it.
    if (git_repository_open_ext(d->repo.out(), path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0)
        throw IngestError(path + ": not a git repository (" + lastGitError() + ")");
    if (d->options.workingTree && git_repository_is_bare(d->repo.get()))
        throw IngestError(path + ": a bare repository has no working tree; leave out --worktree");

    d->refName = d->options.ref.empty() ? "HEAD" : d->options.ref;
    ObjectPtr target, commit;
    if (git_revparse_single(target.out(), d->repo.get(), d->refName.c_str()) != 0) {
        const std::string why = lastGitError();
        // An unborn HEAD (a new repository, or HEAD naming a branch that does not exist) is not a damaged one:
        // a missing or corrupt commit object must not read as "no commits".
        const bool unborn = git_repository_head_unborn(d->repo.get()) == 1;
        if (d->options.workingTree && d->options.ref.empty() && unborn) return;  // the files are still there
        if (d->options.ref.empty() && unborn) throw IngestError(path + ": the repository has no commits yet (HEAD names a branch with none)");
        if (d->options.ref.empty()) throw IngestError(path + ": cannot read the commit HEAD names (" + why + ")");
        throw IngestError(path + ": ref '" + d->refName + "' not found (" + why + ")");
    }
    if (git_object_peel(commit.out(), target.get(), GIT_OBJECT_COMMIT) != 0)
        throw IngestError(path + ": '" + d->refName + "' does not name a commit");
    d->commitId = oidString(git_object_id(commit.get()));
    if (d->options.workingTree) return;
    if (git_commit_tree(d->tree.out(), reinterpret_cast<git_commit*>(commit.get())) != 0)
        d->fail("cannot read the tree of " + d->commitId);
    d->treeId = oidString(git_tree_id(d->tree.get()));
}

RepositoryReader::~RepositoryReader() = default;

bool RepositoryReader::isBare() const { return git_repository_is_bare(d->repo.get()); }
std::string RepositoryReader::commitId() const { return d->commitId; }
std::string RepositoryReader::treeId() const { return d->treeId; }
std::string RepositoryReader::refName() const { return d->refName; }
std::uint64_t RepositoryReader::blobsRead() const { return d->blobsRead; }

std::vector<TreeEntry> RepositoryReader::entries() const
{
    std::vector<TreeEntry> out = d->options.workingTree ? d->workingTreeEntries() : d->treeEntries();
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.path < b.path; });
    return out;
}

TreeChanges RepositoryReader::changesSince(const std::string& oldTreeId) const
{
    if (d->options.workingTree) throw IngestError(d->path + ": a working tree has no tree to compare with");
    TreePtr old = d->lookupTree(oldTreeId);
    DiffPtr diff;
    git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
    opts.flags = GIT_DIFF_SKIP_BINARY_CHECK;  // ids are all we need; reading blobs here would defeat the point
    if (git_diff_tree_to_tree(diff.out(), d->repo.get(), old.get(), d->tree.get(), &opts) != 0)
        d->fail("cannot compare trees");
    TreeChanges changes;
    for (std::size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
        const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
        if (delta->status == GIT_DELTA_DELETED) {
            changes.deleted.push_back(escapeInvalidUtf8(delta->old_file.path));
            continue;
        }
        if (delta->status == GIT_DELTA_TYPECHANGE && delta->old_file.path != std::string(delta->new_file.path))
            changes.deleted.push_back(escapeInvalidUtf8(delta->old_file.path));
        changes.addedOrModified.push_back(
            makeEntry(delta->new_file.path, &delta->new_file.id, git_filemode_t(delta->new_file.mode)));
    }
    return changes;
}

Document RepositoryReader::read(const TreeEntry& entry) const
{
    Document doc;
    doc.path = entry.path;
    doc.kind = DocumentKind::File;
    doc.contentHash = entry.blobId;
    doc.readerVersion = kVersion;
    auto skip = [&](std::string reason) {
        doc.status = DocumentStatus::Skipped;
        doc.reason = std::move(reason);
        return doc;
    };
    if (entry.kind == TreeEntry::Kind::Submodule) {
        doc.metadata["submodule_commit"] = entry.blobId;
        SubmodulePtr sm;
        if (git_submodule_lookup(sm.out(), d->repo.get(), entry.rawPath.c_str()) == 0 && git_submodule_url(sm.get()))
            doc.metadata["submodule_url"] = git_submodule_url(sm.get());
        return skip("submodule at commit " + entry.blobId.substr(0, 12) + ": listed, not followed");
    }
    if (!d->contentSize(entry, &doc.size)) {
        doc.status = DocumentStatus::Error;
        doc.reason = "blob " + entry.blobId + " cannot be read";
        return doc;
    }
    if (entry.kind == TreeEntry::Kind::Symlink) return skip("symbolic link");
    if (doc.size > d->options.maxFileSize)
        return skip(std::string(kSizeLimitReason) + " (" + std::to_string(doc.size) + " > "
                    + std::to_string(d->options.maxFileSize) + " bytes)");
    std::string bytes;
    if (!d->loadContent(entry, &bytes)) {
        doc.status = DocumentStatus::Error;
        doc.reason = "blob " + entry.blobId + " cannot be read";
        return doc;
    }
    std::string lfsOid, lfsSize;
    if (parseLfsPointer(bytes, &lfsOid, &lfsSize)) {
        doc.metadata["lfs_oid"] = lfsOid;
        doc.metadata["lfs_size"] = lfsSize;
        return skip("Git LFS pointer: the " + lfsSize + "-byte object is stored outside the repository");
    }
    doc.language = detectLanguage(entry.path, std::string_view(bytes).substr(0, 256));
    if (looksBinary(bytes)) return skip("binary file");
    bool converted = false;
    doc.text = toUtf8Text(bytes, &converted);
    if (converted) doc.metadata["encoding"] = "latin-1";
    return doc;
}

}  // namespace folio::ingest
