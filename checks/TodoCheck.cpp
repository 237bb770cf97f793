//===- TodoCheck.cpp - context-todo ---------------------------------------===//

#include "TodoCheck.h"
#include "CheckUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

TodoCheck::TodoCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Types(Options),
      TodoFunctions(Options.get("TodoFunctions", "::ctx::todo").str()),
      AllowedFiles(Options.get("AllowedFiles", "").str()), AllowedFilesRe(AllowedFiles) {
  std::string Error;
  if (!AllowedFiles.empty() && !AllowedFilesRe.isValid(Error))
    configurationDiag("invalid regular expression in option 'AllowedFiles' ('%0'): %1")
        << AllowedFiles << Error;
}

void TodoCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContextTypes", Types.optionValue());
  Options.store(Opts, "TodoFunctions", TodoFunctions);
  Options.store(Opts, "AllowedFiles", AllowedFiles);
}

void TodoCheck::registerMatchers(MatchFinder *Finder) {
  std::vector<std::string> Owned = parseList(TodoFunctions);
  std::vector<llvm::StringRef> Names(Owned.begin(), Owned.end());
  if (Names.empty())
    return;
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasAnyName(Names))), unless(isExpansionInSystemHeader()),
               unless(isInTemplateInstantiation()),
               optionally(forCallable(functionDecl().bind("fn"))))
          .bind("call"),
      this);
}

void TodoCheck::check(const MatchFinder::MatchResult &Result) {
  if (hasCompileErrors(*Result.Context))
    return;
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call");
  const SourceManager &SM = *Result.SourceManager;
  SourceLocation Loc = Call->getBeginLoc();
  if (Loc.isInvalid() || Call->containsErrors())
    return;
  // An unevaluated operand (decltype, sizeof, static_assert, a SFINAE
  // return type) names the placeholder's type; nothing runs.
  if (isInUnevaluatedContext(Call, *Result.Context))
    return;
  std::string Error;
  if (!AllowedFiles.empty() && AllowedFilesRe.isValid(Error)) {
    llvm::StringRef File = SM.getFilename(SM.getFileLoc(Loc));
    if (AllowedFilesRe.match(File))
      return;
  }

  const FunctionDecl *Callee = Call->getDirectCallee();
  std::string Spelled = Callee ? Callee->getQualifiedNameAsString() : "todo";
  auto Diag = diag(Loc, "'%0()' is a placeholder context; pass the caller's context "
                        "instead")
              << Spelled;

  // The only safe fix: exactly one context parameter in scope, and a call
  // spelled entirely outside macros.
  const auto *Fn = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  auto Params = contextParams(Fn, Types);
  if (Params.size() != 1 || Params.front()->getName().empty())
    return;
  // The parameter must be what the placeholder returns: with ContextTypes
  // naming another class (grpc::ServerContext, ...), it is not a substitute.
  QualType ParamT =
      Params.front()->getType().getNonReferenceType().getCanonicalType().getUnqualifiedType();
  if (ParamT != Call->getType().getNonReferenceType().getCanonicalType().getUnqualifiedType())
    return;
  SourceRange Range = Call->getSourceRange();
  if (Range.getBegin().isMacroID() || Range.getEnd().isMacroID())
    return;
  // A default argument is evaluated in the caller, where the parameter does
  // not exist (`void f(Context c = ctx::todo())` must not become `= c`).
  if (isInDefaultArgument(Call, *Result.Context))
    return;
  // The parameter is an lvalue: it cannot take the place of the prvalue
  // where only an rvalue binds (a `Context &&` parameter or variable).
  const FunctionDecl *DestFn = nullptr;
  unsigned DestIndex = 0;
  QualType Dest = destinationType(Call, *Result.Context, DestFn, DestIndex);
  if (isRValueOnlyParameter(DestFn, DestIndex, Dest))
    return;
  Diag << FixItHint::CreateReplacement(CharSourceRange::getTokenRange(Range),
                                       Params.front()->getName());
}

} // namespace ctx::tidy
