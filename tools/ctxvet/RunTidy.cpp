//===- RunTidy.cpp - clang-tidy over one compile command --------------------===//
//
// Follows clang-tidy's runClangTidy (clang-tools-extra/clang-tidy/ClangTidy.cpp)
// of LLVM 19 and 22: the same argument adjusters, diagnostic consumer and
// frontend action, so ctxvet's findings are exactly clang-tidy's.
//
//===----------------------------------------------------------------------===//

#include "RunTidy.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/Basic/Version.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"

namespace tidy = clang::tidy;
namespace tooling = clang::tooling;

namespace ctx::vet {

namespace {

/// Exactly one command: ClangTool then neither prints "[1/2] Processing
/// file" for a file listed twice nor "Skipping ..." for one it cannot find.
class OneCommand : public tooling::CompilationDatabase {
public:
  explicit OneCommand(tooling::CompileCommand Command) : Command(std::move(Command)) {}
  std::vector<tooling::CompileCommand> getCompileCommands(llvm::StringRef) const override {
    return {Command};
  }
  std::vector<std::string> getAllFiles() const override { return {Command.Filename}; }
  std::vector<tooling::CompileCommand> getAllCompileCommands() const override { return {Command}; }

private:
  tooling::CompileCommand Command;
};

class ActionFactory : public tooling::FrontendActionFactory {
public:
  ActionFactory(tidy::ClangTidyContext &Context,
                llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS)
      : ConsumerFactory(Context, std::move(FS)) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<Action>(&ConsumerFactory);
  }
  bool runInvocation(std::shared_ptr<clang::CompilerInvocation> Invocation,
                     clang::FileManager *Files,
                     std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps,
                     clang::DiagnosticConsumer *DiagConsumer) override {
    // As clang-tidy: __clang_analyzer__ is defined.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    // Also stops the "N warnings generated." line: ctxvet reports itself.
    Invocation->getDiagnosticOpts().ShowCarets = false;
    return FrontendActionFactory::runInvocation(Invocation, Files, PCHContainerOps, DiagConsumer);
  }

private:
  class Action : public clang::ASTFrontendAction {
  public:
    explicit Action(tidy::ClangTidyASTConsumerFactory *Factory) : Factory(Factory) {}
    std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &Compiler,
                                                          llvm::StringRef File) override {
      return Factory->createASTConsumer(Compiler, File);
    }

  private:
    tidy::ClangTidyASTConsumerFactory *Factory;
  };
  tidy::ClangTidyASTConsumerFactory ConsumerFactory;
};

} // namespace

TidyRun runTidy(tidy::ClangTidyContext &Context, const tooling::CompileCommand &Command,
                llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS, bool FixesFromNotes) {
  OneCommand DB(Command);
  tooling::ClangTool Tool(DB, {Command.Filename}, std::make_shared<clang::PCHContainerOperations>(),
                          FS);
  Tool.setPrintErrorMessage(false);
  // A .clang-tidy's ExtraArgs/ExtraArgsBefore, as clang-tidy applies them.
  Tool.appendArgumentsAdjuster([&Context](const tooling::CommandLineArguments &Args,
                                          llvm::StringRef Filename) {
    tidy::ClangTidyOptions Opts = Context.getOptionsForFile(Filename);
    tooling::CommandLineArguments Out = Args;
    if (Opts.ExtraArgsBefore) {
      auto I = Out.begin();
      if (I != Out.end() && !llvm::StringRef(*I).starts_with("-"))
        ++I;
      Out.insert(I, Opts.ExtraArgsBefore->begin(), Opts.ExtraArgsBefore->end());
    }
    if (Opts.ExtraArgs)
      Out.insert(Out.end(), Opts.ExtraArgs->begin(), Opts.ExtraArgs->end());
    return Out;
  });
  Tool.appendArgumentsAdjuster(tooling::getStripPluginsAdjuster());

  tidy::ClangTidyDiagnosticConsumer DiagConsumer(Context, nullptr, /*RemoveIncompatibleErrors=*/true,
                                                 FixesFromNotes);
#if CLANG_VERSION_MAJOR >= 21
  auto DiagOpts = std::make_unique<clang::DiagnosticOptions>();
  clang::DiagnosticsEngine DE(clang::DiagnosticIDs::create(), *DiagOpts, &DiagConsumer,
                              /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(std::move(DiagOpts), &DE);
#else
  clang::DiagnosticsEngine DE(new clang::DiagnosticIDs(), new clang::DiagnosticOptions(),
                              &DiagConsumer, /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(&DE);
#endif
  Tool.setDiagnosticConsumer(&DiagConsumer);

  ActionFactory Factory(Context, FS);
  int Status = Tool.run(&Factory);
  TidyRun Run;
  Run.Errors = DiagConsumer.take();
  Run.Failed = Status != 0;
  return Run;
}

} // namespace ctx::vet
