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
    : WalkingCheck(Name, Context), Types(Options),
      TodoFunctions(Options.get("TodoFunctions", "::ctx::todo").str()),
      AllowedFiles(Options.get("AllowedFiles", "").str()), AllowedFilesRe(AllowedFiles),
      Functions(TodoFunctions) {
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

/// The user's code, with the chain of ancestors of each call: the fix-it
/// needs the function around the call and what the call's value
/// initialises. Instantiations are not walked: a template is reported
/// once, as written.
class TodoCheck::Part : public WalkPart {
public:
  Part(TodoCheck &Check, const UserCodeWalk &Walk) : WalkPart(Walk, {OnCallExpr}), Check(Check) {}

  void visitCallExpr(CallExpr *Call) override {
    // The name first: it rejects almost every call, and cheaply. An
    // unevaluated operand (decltype, sizeof, static_assert, a SFINAE return
    // type) names the placeholder's type; nothing runs.
    if (Check.Functions.matches(Call->getDirectCallee(), Ctx) && !inUnevaluatedOperand() &&
        !inSystemHeader(Call->getBeginLoc()))
      Check.checkCall(Call, ancestors().drop_back(), Ctx);
  }

private:
  TodoCheck &Check;
};

std::unique_ptr<WalkPart> TodoCheck::makePart(const UserCodeWalk &Walk) {
  return std::make_unique<Part>(*this, Walk);
}

void TodoCheck::checkCall(const CallExpr *Call, llvm::ArrayRef<DynTypedNode> Ancestors,
                          ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Loc = Call->getBeginLoc();
  if (Loc.isInvalid() || Call->containsErrors())
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
  const FunctionDecl *Fn = enclosingCallable(Ancestors);
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
  if (isInDefaultArgument(Ancestors))
    return;
  // The parameter is an lvalue: it cannot take the place of the prvalue
  // where only an rvalue binds (a `Context &&` parameter or variable).
  const FunctionDecl *DestFn = nullptr;
  unsigned DestIndex = 0;
  QualType Dest = destinationType(Call, Ancestors, DestFn, DestIndex);
  if (isRValueOnlyParameter(DestFn, DestIndex, Dest))
    return;
  Diag << FixItHint::CreateReplacement(CharSourceRange::getTokenRange(Range),
                                       Params.front()->getName());
}

} // namespace ctx::tidy
