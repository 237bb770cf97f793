//===- Config.cpp - context-* restricted clang-tidy configuration ---------===//

#include "Config.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/Basic/Version.inc"
#if CLANG_VERSION_MAJOR < 22 // since 22 in ClangTidyModule.h; the old header warns
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif
#include "clang-tidy/GlobList.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <algorithm>

namespace tidy = clang::tidy;

namespace ctx::vet {

static tidy::ClangTidyCheckFactories allFactories() {
  tidy::ClangTidyCheckFactories Factories;
  for (const auto &Entry : tidy::ClangTidyModuleRegistry::entries())
    Entry.instantiate()->addCheckFactories(Factories);
  return Factories;
}

std::vector<std::string> contextCheckNames() {
  std::vector<std::string> Names;
  for (const auto &F : allFactories())
    if (llvm::StringRef(F.getKey()).starts_with("context-"))
      Names.push_back(F.getKey().str());
  std::sort(Names.begin(), Names.end());
  return Names;
}

namespace {

/// The 1-based line and column of the first `Needle` in `File`, or 0s.
std::pair<unsigned, unsigned> findInFile(llvm::StringRef File, llvm::StringRef Needle) {
  auto Buf = llvm::MemoryBuffer::getFile(File, /*IsText=*/true);
  if (!Buf)
    return {0, 0};
  llvm::StringRef Text = (*Buf)->getBuffer();
  size_t At = Text.find(Needle);
  if (At == llvm::StringRef::npos)
    return {0, 0};
  llvm::StringRef Before = Text.take_front(At);
  size_t LineStart = Before.rfind('\n');
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  return {static_cast<unsigned>(Before.count('\n') + 1), static_cast<unsigned>(At - LineStart + 1)};
}

/// The context-* names in a glob list that are meant to be a check name
/// (no wildcard), with their leading '-' removed.
std::vector<std::string> namedContextChecks(llvm::StringRef Globs) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Globs.split(Parts, ',', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Out;
  for (llvm::StringRef P : Parts) {
    for (llvm::StringRef Line : llvm::split(P, '\n')) {
      llvm::StringRef G = Line.trim();
      G.consume_front("-");
      G = G.trim();
      if (G.starts_with("context-") && !G.contains('*'))
        Out.push_back(G.str());
    }
  }
  return Out;
}

/// The known name closest to `Name`, for "did you mean".
std::string closest(llvm::StringRef Name, const std::set<std::string> &Known) {
  std::string Best;
  unsigned BestDistance = 4; // further than this is not a typo
  for (const std::string &K : Known) {
    unsigned D = Name.edit_distance(K, /*AllowReplacements=*/true, BestDistance);
    if (D < BestDistance) {
      BestDistance = D;
      Best = K;
    }
  }
  return Best;
}

} // namespace

ConfigCheck::ConfigCheck(std::vector<std::string> Checks, Problems &Found, std::string Root)
    : ContextChecks(std::move(Checks)), Found(Found), Root(std::move(Root)) {
  // Every option a context-* check has: what it reads when constructed (the
  // collector clang-tidy's --verify-config uses) and what it stores for
  // --dump-config.
  tidy::ClangTidyOptions Defaults = tidy::ClangTidyOptions::getDefaults();
  Defaults.Checks = "context-*";
  tidy::ClangTidyContext Context(
      std::make_unique<tidy::DefaultOptionsProvider>(tidy::ClangTidyGlobalOptions(), Defaults));
  llvm::StringSet<> Collected;
  Context.setOptionsCollector(&Collected);
  for (const auto &F : allFactories()) {
    if (!llvm::StringRef(F.getKey()).starts_with("context-"))
      continue;
    std::unique_ptr<tidy::ClangTidyCheck> Check = F.getValue()(F.getKey(), &Context);
    tidy::ClangTidyOptions::OptionMap Stored;
    Check->storeOptions(Stored);
    for (const auto &O : Stored)
      KnownOptions.insert(O.getKey().str());
  }
  // getLocalOrGlobal records both names: "context-todo.ContextTypes" and
  // the global "ContextTypes".
  for (const auto &O : Collected) {
    if (O.getKey().starts_with("context-"))
      KnownOptions.insert(O.getKey().str());
    else if (!O.getKey().contains('.'))
      KnownGlobalOptions.insert(O.getKey().str());
  }
}

std::vector<std::string> ConfigCheck::enabledBy(llvm::StringRef Globs, const std::string &File,
                                                llvm::StringRef Where) {
  std::set<std::string> Names(ContextChecks.begin(), ContextChecks.end());
  for (const std::string &N : namedContextChecks(Globs)) {
    if (Names.count(N))
      continue;
    auto [Line, Column] = File.empty() ? std::pair<unsigned, unsigned>{0, 0} : findInFile(File, N);
    std::string Hint = closest(N, Names);
    Found.add({Problem::Error, File, Line, Column,
               "unknown check '" + N + "' in " + Where.str() +
                   (Hint.empty() ? "" : " (did you mean '" + Hint + "'?)") +
                   "; `ctxvet --list-checks` lists them"});
  }
  tidy::GlobList List(Globs);
  std::vector<std::string> Enabled;
  for (const std::string &C : ContextChecks)
    if (List.contains(C))
      Enabled.push_back(C);
  return Enabled;
}

llvm::ErrorOr<tidy::ClangTidyOptions> ConfigCheck::parse(llvm::MemoryBufferRef Config) {
  std::vector<Problem> Diags;
  llvm::ErrorOr<tidy::ClangTidyOptions> Parsed =
      tidy::parseConfigurationWithDiags(Config, [&](const llvm::SMDiagnostic &D) {
        Diags.push_back({Problem::Error, D.getFilename().str(), static_cast<unsigned>(D.getLineNo()),
                         static_cast<unsigned>(D.getColumnNo() + 1),
                         "cannot parse this configuration: " + D.getMessage().str()});
      });
  for (Problem &P : Diags)
    Found.add(std::move(P));
  if (Parsed)
    return Parsed;
  if (Diags.empty())
    Found.error(Config.getBufferIdentifier().str(),
                Config.getBufferIdentifier().str() +
                    ": cannot parse this configuration: " + Parsed.getError().message());
  // Returned as an error, clang-tidy would print "Error parsing ..." for
  // every TU and go on without the file. An empty configuration that
  // inherits is the same "without the file", silently: the error is
  // reported above, once, and the run exits 2.
  tidy::ClangTidyOptions Ignored;
  Ignored.InheritParentConfig = true;
  return Ignored;
}

void ConfigCheck::examine(const tidy::ClangTidyOptions &Options, const std::string &File) {
  {
    std::lock_guard<std::mutex> Lock(Mu);
    if (!Examined.insert(File).second)
      return;
  }
  if (Options.Checks)
    (void)enabledBy(*Options.Checks, File, "Checks");
  for (const auto &O : Options.CheckOptions) {
    llvm::StringRef Key = O.getKey();
    if (!Key.contains('.') && !KnownGlobalOptions.count(Key.str())) {
      // Another check's global option, or a near miss of ours: a
      // `ContextType:` that is not read leaves custom context types
      // unchecked.
      std::string Lower = Key.lower();
      for (const std::string &G : KnownGlobalOptions)
        if (llvm::StringRef(Lower).edit_distance(llvm::StringRef(G).lower()) <= 2) {
          auto [Line, Column] = findInFile(File, Key);
          Found.add({Problem::Error, File, Line, Column,
                     "unknown option '" + Key.str() + "' (did you mean '" + G +
                         "'?); it would be ignored. `ctx-tidy --dump-config -checks='-*,context-*'` "
                         "lists the options"});
          break;
        }
      continue;
    }
    if (!Key.starts_with("context-") || KnownOptions.count(Key.str()))
      continue;
    auto [Line, Column] = findInFile(File, Key);
    std::string Hint = closest(Key, KnownOptions);
    Found.add({Problem::Error, File, Line, Column,
               "unknown option '" + Key.str() + "'" +
                   (Hint.empty() ? "" : " (did you mean '" + Hint + "'?)") +
                   "; it would be ignored. `ctx-tidy --dump-config -checks='-*,context-*'` lists "
                   "the options"});
  }
}

void ConfigCheck::optionComplaint(
    llvm::StringRef Message,
    const std::vector<tidy::ClangTidyOptionsProvider::OptionsSource> &Sources, llvm::StringRef Unit,
    llvm::StringRef Root) {
  // The checks name the option: "invalid ... in option 'AllowedFiles' ...".
  llvm::SmallVector<llvm::StringRef, 2> M;
  if (llvm::Regex("option '([^']+)'").match(Message, &M)) {
    llvm::StringRef Name = M[1];
    for (auto It = Sources.rbegin(); It != Sources.rend(); ++It) {
      if (!llvm::sys::path::is_absolute(It->second))
        continue;
      for (const auto &O : It->first.CheckOptions) {
        llvm::StringRef Key = O.getKey();
        if (Key == Name || Key.ends_with(("." + Name).str())) {
          auto [Line, Column] = findInFile(It->second, Key);
          Found.add({Problem::Error, It->second, Line, Column, Key.str() + ": " + Message.str()});
          return;
        }
      }
    }
  }
  Found.add({Problem::Error, Unit.str(), 0, 0,
             "the configuration for " + relativeTo(Unit, Root) + ": " + Message.str()});
}

bool ConfigCheck::readable(const std::string &File) {
  {
    std::lock_guard<std::mutex> Lock(Mu);
    if (auto It = Readable.find(File); It != Readable.end())
      return It->second;
  }
  std::error_code EC;
  if (llvm::Expected<llvm::sys::fs::file_t> FD = llvm::sys::fs::openNativeFileForRead(File)) {
    llvm::sys::fs::closeFile(*FD);
  } else {
    EC = llvm::errorToErrorCode(FD.takeError());
    Found.error(File, "cannot read " + relativeTo(File, Root) + ": " + EC.message() +
                          " (the checks under it would run without it)");
  }
  std::lock_guard<std::mutex> Lock(Mu);
  Readable[File] = !EC;
  return !EC;
}

namespace {

/// The file system FileOptionsProvider reads .clang-tidy files through: one
/// it cannot read is reported once, by ConfigCheck::readable, and seems
/// absent to clang-tidy, which would print "Can't read ..." for every TU.
class ConfigFileSystem : public llvm::vfs::ProxyFileSystem {
public:
  ConfigFileSystem(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS, ConfigCheck &Config)
      : ProxyFileSystem(std::move(FS)), Config(Config) {}

  llvm::ErrorOr<llvm::vfs::Status> status(const llvm::Twine &Path) override {
    llvm::ErrorOr<llvm::vfs::Status> S = ProxyFileSystem::status(Path);
    if (S && S->isRegularFile() && llvm::sys::path::filename(S->getName()) == ".clang-tidy") {
      llvm::SmallString<256> Abs;
      Path.toVector(Abs);
      if (!makeAbsolute(Abs) && !Config.readable(std::string(Abs)))
        return std::make_error_code(std::errc::no_such_file_or_directory);
    }
    return S;
  }

private:
  ConfigCheck &Config;
};

/// FileOptionsProvider reading .clang-tidy through ConfigCheck::parse.
/// (Its constructor taking parsers leaves the file system null, which
/// getRawOptions dereferences; the members are protected, hence a subclass.)
class ParsingFileProvider : public tidy::FileOptionsProvider {
public:
  ParsingFileProvider(tidy::ClangTidyOptions Defaults, ConfigCheck &Config,
                      llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS)
      : FileOptionsProvider(tidy::ClangTidyGlobalOptions(), std::move(Defaults),
                            tidy::ClangTidyOptions(),
                            llvm::makeIntrusiveRefCnt<ConfigFileSystem>(std::move(FS), Config)) {
    ConfigHandlers.clear();
    ConfigHandlers.emplace_back(".clang-tidy", [&Config](llvm::MemoryBufferRef Buf) {
      return Config.parse(Buf);
    });
  }
};

class ContextOnlyProvider : public tidy::ClangTidyOptionsProvider {
public:
  ContextOnlyProvider(std::unique_ptr<tidy::FileOptionsProvider> Files, ConfigCheck &Config,
                      std::optional<std::string> Override)
      : Files(std::move(Files)), Config(Config), Override(std::move(Override)) {}

  const tidy::ClangTidyGlobalOptions &getGlobalOptions() override {
    return Files->getGlobalOptions();
  }

  std::vector<OptionsSource> getRawOptions(llvm::StringRef FileName) override {
    std::vector<OptionsSource> Sources = Files->getRawOptions(FileName);
    // What the configuration asks for, merged as clang-tidy merges it...
    tidy::ClangTidyOptions Merged;
    for (const OptionsSource &S : Sources) {
      if (llvm::sys::path::is_absolute(S.second)) // a .clang-tidy
        Config.examine(S.first, S.second);
      Merged.mergeWith(S.first, 0);
    }
    std::string Wanted = Override ? *Override : Merged.Checks.value_or("context-*");
    tidy::GlobList Globs(Wanted);
    // ...then spelled out check by check, last, so it is what takes effect:
    // glob lists cannot express an intersection, explicit names can.
    std::string Effective = "-*";
    for (const std::string &Name : Config.checks())
      if (Globs.contains(Name))
        Effective += "," + Name;
    tidy::ClangTidyOptions Restrict;
    Restrict.Checks = Effective;
    // Warnings stay warnings: exit status 1 already means "findings".
    Restrict.WarningsAsErrors = "";
    Sources.emplace_back(std::move(Restrict), "ctxvet: context-* only");
    return Sources;
  }

private:
  std::unique_ptr<tidy::FileOptionsProvider> Files;
  ConfigCheck &Config;
  std::optional<std::string> Override;
};

} // namespace

std::unique_ptr<tidy::ClangTidyOptionsProvider>
makeOptionsProvider(ConfigCheck &Config, std::optional<std::string> ChecksOverride,
                    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS) {
  tidy::ClangTidyOptions Defaults = tidy::ClangTidyOptions::getDefaults();
  Defaults.Checks = "context-*";
  // Project headers are where shared mistakes live; system headers stay
  // silent (SystemHeaders is false by default). A .clang-tidy may narrow it.
  Defaults.HeaderFilterRegex = ".*";
  auto Files = std::make_unique<ParsingFileProvider>(Defaults, Config, std::move(FS));
  return std::make_unique<ContextOnlyProvider>(std::move(Files), Config, std::move(ChecksOverride));
}

} // namespace ctx::vet
