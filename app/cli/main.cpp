// The `folio` executable: with a subcommand it works headless; without one it opens the workbench window.

#include "analysis_commands.h"
#include "code_commands.h"
#include "commands.h"
#include "corpus_commands.h"
#include "deviations_command.h"
#include "engine_commands.h"
#include "serve_command.h"
#include "version.h"

#include "folio/app/workspace_store.h"
#include "folio/ui/workbench.h"

#include <CLI/CLI.hpp>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QGuiApplication>

#include <iostream>

#include <unistd.h>

int main(int argc, char** argv)
{
    using namespace folio::cli;
    CLI::App app{"Folio: analyse very long documents (git repositories, contract PDFs) offline.\n"
                 "Without a subcommand, opens the workbench window.",
                 "folio"};  // named, so that usage lines (and the man page made from them) say folio, not argv[0]
    app.set_version_flag("--version", folio::cli::versionText());
    GlobalOptions global;
    app.add_option("--workspace", global.workspace, "Workspace folder (default: the XDG data folder, "
                                                    "~/.local/share/folio/workspaces/default)");

    IngestArgs ingest;
    auto* ingestCmd = app.add_subcommand("ingest", "Read repositories, PDF files or folders of PDFs into the workspace");
    ingestCmd->add_option("paths", ingest.paths, "Git repository (working or bare), PDF file, or folder of PDFs")->required();
    ingestCmd->add_option("--ref", ingest.ref, "Repositories: branch, tag or commit to read (default HEAD)");
    ingestCmd->add_flag("--worktree", ingest.workingTree, "Repositories: read the working tree as git status sees it (.gitignore applies)");
    ingestCmd->add_option("--max-file-size", ingest.maxFileSize, "Repositories: files larger than this many bytes are listed, not read")
        ->capture_default_str();
    ingestCmd->add_option("--threads", ingest.threads, "PDF readers and code indexers (default: one per core)");
    ingestCmd->add_flag("--no-code-index", ingest.noCodeIndex, "Repositories: do not index symbols and references (search only)");
    ingestCmd->add_flag("--json", global.json, "Print the report as JSON");

    LsArgs ls;
    auto* lsCmd = app.add_subcommand("ls", "List the workspace's sources and documents");
    lsCmd->add_option("--source", ls.source, "Only this source id");
    lsCmd->add_flag("--problems", ls.problemsOnly, "Only documents with a warning, an error, or skipped");
    lsCmd->add_flag("--json", global.json, "Print JSON");

    SearchArgs search;
    auto* searchCmd = app.add_subcommand("search", "Full-text search with snippets and page or line hits");
    searchCmd->add_option("query", search.words, "Words (all must match), \"a phrase\", OR, prefix*")->required();
    searchCmd->add_option("--limit", search.limit, "Most hits to show")->capture_default_str();
    searchCmd->add_flag("--json", global.json, "Print JSON");

    ShowArgs show;
    auto* showCmd = app.add_subcommand("show", "Print a document's text and metadata");
    showCmd->add_option("document", show.document, "Document id, path, or unique end of a path")->required();
    showCmd->add_option("--page", show.page, "PDFs: only this page (1-based)");
    showCmd->add_flag("--running-heads", show.withRunningHeads, "PDFs: also print page headers and footers");
    showCmd->add_flag("--json", global.json, "Print JSON, with each line's rectangle and font");

    std::string sampleFolder = "folio-sample-contracts";
    auto* sampleCmd = app.add_subcommand("sample", "Write Folio's built-in sample contract PDFs into a folder");
    sampleCmd->add_option("folder", sampleFolder, "Where to write them")->capture_default_str();
    sampleCmd->add_flag("--json", global.json, "Print JSON");

    auto* infoCmd = app.add_subcommand("info", "Workspace, build and GPU status");
    infoCmd->add_flag("--json", global.json, "Print JSON");

    auto* engineCmd = app.add_subcommand("engine", "Run GGUF models of the Qwen3-Next / Qwen3.5 family on the CPU");
    engineCmd->require_subcommand(1);
    std::string infoModel;
    auto* engineInfo = engineCmd->add_subcommand("info", "Architecture, shapes, tensor types and memory of a model");
    engineInfo->add_option("model", infoModel, "GGUF file")->required()->check(CLI::ExistingFile);
    engineInfo->add_flag("--json", global.json, "Print JSON");
    EngineRunArgs run;
    auto* engineRun = engineCmd->add_subcommand("run", "Generate text from a prompt");
    engineRun->add_option("model", run.model, "GGUF file")->required()->check(CLI::ExistingFile);
    engineRun->add_option("-p,--prompt", run.prompt, "Prompt text")->required();
    run.sampling.maxTokens = 64;
    addSamplingOptions(*engineRun, run.sampling);
    engineRun->add_option("--threads", run.threads, "Threads (default: one per core)");
    addLogitsOption(*engineRun, run.logitsFile);
    addWeightsOption(*engineRun, run.weights);
    engineRun->add_flag("--json", global.json, "Print the result as JSON");
    CorpusArgs corpusArgs;
    auto* corpusCmd = app.add_subcommand("corpus", "Read the workspace into the engine once, saving states to resume from");
    corpusCmd->require_subcommand(1);
    auto* corpusBuild = corpusCmd->add_subcommand("build", "Prefill the whole workspace with a model, with snapshots");
    AskArgs ask;
    auto* askCmd = app.add_subcommand("ask", "Answer a question about the whole workspace, resuming from the cache");
    for (auto* cmd : {corpusBuild, askCmd}) {
        CorpusArgs& target = cmd == corpusBuild ? corpusArgs : ask.corpus;
        auto* model = cmd->add_option("--model", target.model, "GGUF file")->check(CLI::ExistingFile);
        if (cmd == corpusBuild) model->required();
        cmd->add_option("--snapshot-every", target.snapshotEvery,
                        "Tokens between snapshots inside long documents (default: as the workspace's last corpus build, "
                        "else 4096; a question resumes only from a build with the same spacing)")
            ->check(CLI::NonNegativeNumber);
        cmd->add_option("--threads", target.threads, "Threads (default: one per core)");
        addAttentionOptions(*cmd, target.attention);
        addWeightsOption(*cmd, target.weights);
        cmd->add_flag("--raw", target.raw, "Plain completion: no chat format (for base models without a chat template)");
        cmd->add_option("--document", target.documents, "Only this document (path or id; repeat for several)")->allow_extra_args(false);
        cmd->add_flag("--json", global.json, "Print JSON");
    }
    askCmd->add_option("question", ask.question, "The question");
    askCmd->add_option("--question", ask.questions, "A question; repeat for several, answered from the same corpus state")
        ->allow_extra_args(false);
    askCmd->add_option("--parallel", ask.parallel, "Answer up to this many questions at once")
        ->check(CLI::PositiveNumber)->capture_default_str();
    addSamplingOptions(*askCmd, ask.sampling);
    addLogitsOption(*askCmd, ask.logitsFile);
    askCmd->add_flag("--no-cache", ask.noCache, "Prefill everything again, neither reading nor writing the cache");
    addRemoteOptions(*askCmd, ask.remote);
    askCmd->add_option("--thinking", ask.thinking, "Let the model think before it answers: on, off, or as its template does")
        ->check(CLI::IsMember({"on", "off", "default"}))->capture_default_str();
    ServeArgs serveArgs;
    auto* serveCmd = addServeCommand(app, serveArgs);
    auto* cacheCmd = app.add_subcommand("cache", "The workspace's context cache");
    cacheCmd->require_subcommand(1);
    auto* cacheStats = cacheCmd->add_subcommand("stats", "Entries and bytes on disk per model");
    cacheStats->add_flag("--json", global.json, "Print JSON");
    std::uint64_t pruneTo = 0;
    auto* cachePrune = cacheCmd->add_subcommand("prune", "Remove least recently used entries");
    cachePrune->add_option("--max-bytes", pruneTo, "Keep at most this many bytes (default 0: remove all)")->capture_default_str();
    cachePrune->add_flag("--json", global.json, "Print JSON");

    AnalyzeArgs analyze;
    auto* analyzeCmd = app.add_subcommand("analyze", "Analyse every ingested contract: outline, defined terms, "
                                                     "cross-references, clauses (no model file needed)");
    analyzeCmd->add_flag("--force", analyze.force, "Analyse again even where the stored results are current");
    analyzeCmd->add_option("--threads", analyze.threads, "Worker threads (default: one per core)");
    analyzeCmd->add_flag("--json", global.json, "Print the report as JSON");
    ClausesArgs clauses;
    auto* clausesCmd = app.add_subcommand("clauses", "Clauses by CUAD category: a contract x category matrix, "
                                                     "a list, or an export");
    clausesCmd->add_option("--category", clauses.category, "Only this category, e.g. \"Governing Law\"");
    clausesCmd->add_option("--format", clauses.format, "table, csv, json or xlsx")
        ->check(CLI::IsMember({"table", "csv", "json", "xlsx"}))->capture_default_str();
    clausesCmd->add_option("-o,--output", clauses.output, "Write to this file (required for xlsx)");
    clausesCmd->add_option("--min-confidence", clauses.minConfidence, "Leave out clauses below this confidence")
        ->check(CLI::Range(0.0, 1.0))->capture_default_str();
    clausesCmd->add_flag("--json", global.json, "Same as --format json");
    DeviationsArgs deviations;
    auto* deviationsCmd = app.add_subcommand("deviations", "How each contract departs from a reference contract or "
                                                           "from the set's norm: missing clauses, unusual values, "
                                                           "different wording");
    deviationsCmd->add_option("--reference", deviations.reference,
                              "Compare with this contract (id, path or end of a path) instead of the set's norm");
    deviationsCmd->add_option("--xlsx", deviations.xlsx, "Also write the report to this Excel workbook");
    deviationsCmd->add_option("--min-confidence", deviations.minConfidence,
                              "A clause counts as present at this confidence")
        ->check(CLI::Range(0.0, 1.0))->capture_default_str();
    deviationsCmd->add_option("--wording-below", deviations.wordingBelow,
                              "Flag a clause worded less alike than this to the one it is compared with")
        ->check(CLI::Range(0.0, 1.0))->capture_default_str();
    deviationsCmd->add_flag("--json", global.json, "Print JSON");
    std::string termsDocument;
    bool undefinedOnly = false;
    auto* termsCmd = app.add_subcommand("terms", "Defined terms with their uses; terms defined twice or used undefined");
    termsCmd->add_option("document", termsDocument, "Only this document (id, path or end of a path)");
    termsCmd->add_flag("--undefined", undefinedOnly, "Only capitalised terms used but never defined");
    termsCmd->add_flag("--json", global.json, "Print JSON");
    XrefsArgs xrefs;
    auto* xrefsCmd = app.add_subcommand("xrefs", "Cross-references and the section, article or exhibit each points at");
    xrefsCmd->add_flag("--unresolved", xrefs.unresolved, "Only references without a target, with the reason");
    xrefsCmd->add_flag("--json", global.json, "Print JSON");
    std::string outlineDocument;
    auto* outlineCmd = app.add_subcommand("outline", "A contract's structure (articles, sections, items, exhibits) or a "
                                                     "code file's (classes, functions, ...)");
    outlineCmd->add_option("document", outlineDocument, "Document id, path, or unique end of a path")->required();
    outlineCmd->add_flag("--json", global.json, "Print JSON");

    SymbolsArgs symbols;
    auto* symbolsCmd = app.add_subcommand("symbols", "Search the code's symbols by name (fuzzy: 'hdlreq' finds handleRequest)");
    symbolsCmd->add_option("query", symbols.query, "Characters of the name, in order")->required();
    symbolsCmd->add_option("--kind", symbols.kind, "Only this kind: function, method, class, struct, enum, field, ...");
    symbolsCmd->add_option("--language", symbols.language, "Only this grammar: c, cpp, python, javascript, typescript, tsx, "
                                                          "go, rust, java, c_sharp, ruby, php, bash");
    symbolsCmd->add_option("--limit", symbols.limit, "At most this many")->capture_default_str();
    symbolsCmd->add_flag("--json", global.json, "Print JSON");
    std::string codeLocation;
    bool allDefinitions = false;
    auto* defCmd = app.add_subcommand("def", "Go to the definition of the identifier at FILE:LINE:COLUMN (1-based)");
    defCmd->add_option("location", codeLocation, "FILE:LINE:COLUMN, FILE a workspace path or its unique end")->required();
    defCmd->add_flag("--all", allDefinitions, "Every candidate, best first, with where it was found");
    defCmd->add_flag("--json", global.json, "Print JSON");
    auto* refsCmd = app.add_subcommand("refs", "Every use of the symbol at FILE:LINE:COLUMN, its definition included");
    refsCmd->add_option("location", codeLocation, "FILE:LINE:COLUMN, FILE a workspace path or its unique end")->required();
    refsCmd->add_flag("--json", global.json, "Print JSON");
    int completionLimit = 20;
    auto* completeCmd = app.add_subcommand("complete", "Identifiers that complete the word ending at FILE:LINE:COLUMN");
    completeCmd->add_option("location", codeLocation, "FILE:LINE:COLUMN, FILE a workspace path or its unique end")->required();
    completeCmd->add_option("--limit", completionLimit, "At most this many")->capture_default_str();
    completeCmd->add_flag("--json", global.json, "Print JSON");
    ModelCompleteArgs modelComplete;
    auto* completeModel = completeCmd->add_option("--model", modelComplete.corpus.model,
                                                  "Complete with this GGUF model instead, the file's repository as context "
                                                  "(fill-in-the-middle when the vocabulary has the tokens)")
                              ->check(CLI::ExistingFile);
    completeCmd->add_option("--threads", modelComplete.corpus.threads, "Threads (default: one per core)")->needs(completeModel);
    addAttentionOptions(*completeCmd, modelComplete.corpus.attention);
    completeCmd->add_flag("--no-cache", modelComplete.noCache, "Read the repository again, neither reading nor writing the cache")
        ->needs(completeModel);
    modelComplete.sampling.maxTokens = 64;
    addSamplingOptions(*completeCmd, modelComplete.sampling);
    addWeightsOption(*completeCmd, modelComplete.corpus.weights);
    addRemoteOptions(*completeCmd, modelComplete.remote);

    EngineBenchArgs bench;
    auto* engineBench = engineCmd->add_subcommand("bench", "Prefill and decode speed");
    engineBench->add_option("model", bench.model, "GGUF file")->required()->check(CLI::ExistingFile);
    engineBench->add_option("--prompt-tokens", bench.promptTokens, "Tokens to prefill")->capture_default_str();
    engineBench->add_option("--gen-tokens", bench.generateTokens, "Tokens to decode")->capture_default_str();
    engineBench->add_option("--threads", bench.threads, "Threads (default: one per core)");
    addWeightsOption(*engineBench, bench.weights);
    engineBench->add_flag("--json", global.json, "Print JSON");

    CLI11_PARSE(app, argc, argv);

    try {
        if (app.get_subcommands().empty()) {
            QApplication qt(argc, argv);
            // Without --workspace the window reopens the workspace of the last session (or the default one).
            return folio::ui::runWorkbench(global.workspace);
        }
        // Headless commands still need Qt's font machinery (the sample PDFs), never a display.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
        if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
            // Qt warns on every start without one (containers, CI); give it the private folder it would pick.
            const QByteArray dir = QDir::tempPath().toUtf8() + "/runtime-" + QByteArray::number(getuid());
            QDir().mkpath(QString::fromUtf8(dir));
            QFile::setPermissions(QString::fromUtf8(dir), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            qputenv("XDG_RUNTIME_DIR", dir);
        }
        QGuiApplication qt(argc, argv);
        if (*ingestCmd) return ingestCommand(global, ingest);
        if (*lsCmd) return lsCommand(global, ls);
        if (*searchCmd) return searchCommand(global, search);
        if (*showCmd) return showCommand(global, show);
        if (*sampleCmd) return sampleCommand(global, sampleFolder);
        if (*infoCmd) return infoCommand(global);
        if (*analyzeCmd) return analyzeCommand(global, analyze);
        if (*clausesCmd) return clausesCommand(global, clauses);
        if (*deviationsCmd) return deviationsCommand(global, deviations);
        if (*termsCmd) return termsCommand(global, termsDocument, undefinedOnly);
        if (*xrefsCmd) return xrefsCommand(global, xrefs);
        if (*outlineCmd) return outlineCommand(global, outlineDocument);
        if (*symbolsCmd) return symbolsCommand(global, symbols);
        if (*defCmd) return definitionCommand(global, codeLocation, allDefinitions);
        if (*refsCmd) return referencesCommand(global, codeLocation);
        if (*completeCmd) {
            modelComplete.location = codeLocation;
            if (!modelComplete.remote.url.empty()) return remoteCompleteCommand(global, modelComplete);
            if (modelComplete.corpus.model.empty()) return completeCommand(global, codeLocation, completionLimit);
            return modelCompleteCommand(global, modelComplete);
        }
        if (*engineInfo) return engineInfoCommand(infoModel, global.json);
        if (*engineRun) return engineRunCommand(run, global.json);
        if (*engineBench) return engineBenchCommand(bench, global.json);
        if (*corpusBuild) return corpusBuildCommand(global, corpusArgs);
        if (*askCmd) {
            if (!ask.remote.url.empty()) return remoteAskCommand(global, ask);
            if (ask.corpus.model.empty()) throw std::runtime_error("ask: give --model MODEL.gguf, or --remote URL");
            return askCommand(global, ask);
        }
        if (*serveCmd) return serveCommand(global, serveArgs);
        if (*cacheStats) return cacheStatsCommand(global);
        if (*cachePrune) return cachePruneCommand(global, pruneTo);
    } catch (const std::exception& e) {
        std::cerr << "folio: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
