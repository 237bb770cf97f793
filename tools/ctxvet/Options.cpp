//===- Options.cpp - context-* restricted clang-tidy configuration --------===//

#include "Options.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"
#include "clang-tidy/GlobList.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <algorithm>

namespace ctx::vet {

std::vector<std::string> contextCheckNames() {
  clang::tidy::ClangTidyCheckFactories Factories;
  for (const auto &Entry : clang::tidy::ClangTidyModuleRegistry::entries())
    Entry.instantiate()->addCheckFactories(Factories);
  std::vector<std::string> Names;
  for (const auto &F : Factories)
    if (llvm::StringRef(F.getKey()).starts_with("context-"))
      Names.push_back(F.getKey().str());
  std::sort(Names.begin(), Names.end());
  return Names;
}

namespace {

class ContextOnlyProvider : public clang::tidy::ClangTidyOptionsProvider {
public:
  ContextOnlyProvider(std::unique_ptr<clang::tidy::FileOptionsProvider> Files,
                      std::vector<std::string> ContextChecks, std::optional<std::string> Override)
      : Files(std::move(Files)), ContextChecks(std::move(ContextChecks)),
        Override(std::move(Override)) {}

  const clang::tidy::ClangTidyGlobalOptions &getGlobalOptions() override {
    return Files->getGlobalOptions();
  }

  std::vector<OptionsSource> getRawOptions(llvm::StringRef FileName) override {
    std::vector<OptionsSource> Sources = Files->getRawOptions(FileName);
    // What the configuration asks for, merged as clang-tidy merges it...
    clang::tidy::ClangTidyOptions Merged;
    for (const OptionsSource &S : Sources)
      Merged.mergeWith(S.first, 0);
    std::string Wanted = Override ? *Override : Merged.Checks.value_or("context-*");
    clang::tidy::GlobList Globs(Wanted);
    // ...then spelled out check by check, last, so it is what takes effect:
    // glob lists cannot express an intersection, explicit names can.
    std::string Effective = "-*";
    for (const std::string &Name : ContextChecks)
      if (Globs.contains(Name))
        Effective += "," + Name;
    clang::tidy::ClangTidyOptions Restrict;
    Restrict.Checks = Effective;
    // Warnings stay warnings: exit status 1 already means "findings".
    Restrict.WarningsAsErrors = "";
    Sources.emplace_back(std::move(Restrict), "ctxvet: context-* only");
    return Sources;
  }

private:
  std::unique_ptr<clang::tidy::FileOptionsProvider> Files;
  std::vector<std::string> ContextChecks;
  std::optional<std::string> Override;
};

} // namespace

std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>
makeOptionsProvider(const std::vector<std::string> &ContextChecks,
                    std::optional<std::string> ChecksOverride) {
  clang::tidy::ClangTidyOptions Defaults = clang::tidy::ClangTidyOptions::getDefaults();
  Defaults.Checks = "context-*";
  // Project headers are where shared mistakes live; system headers stay
  // silent (SystemHeaders is false by default). A .clang-tidy may narrow it.
  Defaults.HeaderFilterRegex = ".*";
  auto Files = std::make_unique<clang::tidy::FileOptionsProvider>(
      clang::tidy::ClangTidyGlobalOptions(), Defaults, clang::tidy::ClangTidyOptions(),
      llvm::vfs::createPhysicalFileSystem());
  return std::make_unique<ContextOnlyProvider>(std::move(Files), ContextChecks,
                                               std::move(ChecksOverride));
}

} // namespace ctx::vet
