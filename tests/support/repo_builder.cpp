#include "repo_builder.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

namespace folio::test {
namespace {

void check(int rc, const char* what)
{
    if (rc != 0) {
        const git_error* e = git_error_last();
        throw std::runtime_error(std::string(what) + ": " + (e ? e->message : "?"));
    }
}

}  // namespace

RepoBuilder::RepoBuilder(const std::string& dir, bool bare) : dir_(dir)
{
    git_libgit2_init();
    git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
    opts.flags = GIT_REPOSITORY_INIT_MKPATH | (bare ? GIT_REPOSITORY_INIT_BARE : 0);
    opts.initial_head = "main";
    check(git_repository_init_ext(&repo_, dir.c_str(), &opts), "init");
}

RepoBuilder::~RepoBuilder()
{
    git_repository_free(repo_);
    git_libgit2_shutdown();
}

void RepoBuilder::setFile(const std::string& path, const std::string& content, git_filemode_t mode)
{
    files_[path] = {content, mode};
}

void RepoBuilder::setSubmodule(const std::string& path, const std::string& commitId)
{
    files_[path] = {commitId, GIT_FILEMODE_COMMIT};
}

void RepoBuilder::removeFile(const std::string& path)
{
    files_.erase(path);
}

git_oid RepoBuilder::buildTree(const std::string& prefix)
{
    git_treebuilder* builder = nullptr;
    check(git_treebuilder_new(&builder, repo_, nullptr), "treebuilder");
    std::set<std::string> subdirs;
    for (const auto& [path, entry] : files_) {
        if (path.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string rest = path.substr(prefix.size());
        const std::size_t slash = rest.find('/');
        if (slash != std::string::npos) {
            subdirs.insert(rest.substr(0, slash));
            continue;
        }
        git_oid oid;
        if (entry.mode == GIT_FILEMODE_COMMIT) check(git_oid_fromstr(&oid, entry.content.c_str()), "submodule id");
        else check(git_blob_create_from_buffer(&oid, repo_, entry.content.data(), entry.content.size()), "blob");
        check(git_treebuilder_insert(nullptr, builder, rest.c_str(), &oid, entry.mode), "insert");
    }
    for (const std::string& sub : subdirs) {
        const git_oid oid = buildTree(prefix + sub + "/");
        check(git_treebuilder_insert(nullptr, builder, sub.c_str(), &oid, GIT_FILEMODE_TREE), "insert tree");
    }
    git_oid tree;
    check(git_treebuilder_write(&tree, builder), "write tree");
    git_treebuilder_free(builder);
    return tree;
}

std::string RepoBuilder::commit(const std::string& message, const std::string& branch)
{
    const git_oid treeId = buildTree("");
    git_tree* tree = nullptr;
    check(git_tree_lookup(&tree, repo_, &treeId), "tree");
    git_signature* sig = nullptr;
    check(git_signature_new(&sig, "Folio Test", "test@folio.invalid", 1700000000, 0), "signature");
    const std::string ref = "refs/heads/" + branch;
    git_commit* parent = nullptr;
    git_oid parentId;
    const bool hasParent = git_reference_name_to_id(&parentId, repo_, ref.c_str()) == 0
        && git_commit_lookup(&parent, repo_, &parentId) == 0;
    const git_commit* parents[] = {parent};
    git_oid id;
    check(git_commit_create(&id, repo_, ref.c_str(), sig, sig, nullptr, message.c_str(), tree, hasParent ? 1 : 0,
                            hasParent ? parents : nullptr), "commit");
    git_commit_free(parent);
    git_signature_free(sig);
    git_tree_free(tree);
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &id);
    return hex;
}

void RepoBuilder::tag(const std::string& name, const std::string& commitId)
{
    git_oid oid;
    check(git_oid_fromstr(&oid, commitId.c_str()), "tag target");
    git_object* target = nullptr;
    check(git_object_lookup(&target, repo_, &oid, GIT_OBJECT_COMMIT), "tag target");
    git_oid tagId;
    check(git_tag_create_lightweight(&tagId, repo_, name.c_str(), target, 0), "tag");
    git_object_free(target);
}

void RepoBuilder::writeWorkingFile(const std::string& path, const std::string& content, bool track)
{
    const std::filesystem::path full = std::filesystem::path(dir_) / path;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << content;
    if (!track) return;
    git_index* index = nullptr;
    check(git_repository_index(&index, repo_), "index");
    check(git_index_add_bypath(index, path.c_str()), "add");
    check(git_index_write(index), "write index");
    git_index_free(index);
}

}  // namespace folio::test
