//===- DerivedInLoopCheck.cpp - context-derived-in-loop -------------------===//
//
// For each assignment to a context variable, the nodes around it say where
// it runs repeatedly: the innermost loop around it (its body, condition or
// increment; not a for-init statement or a range-for's range, which run
// once), or else the lambda around it. Within that repeated region R:
//  - the variable must be declared outside R (a for-init variable is; the
//    range-for variable and a condition variable are declared per
//    iteration), and for a lambda, captured by reference or by copy in a
//    mutable lambda;
//  - the value is "derived from the variable" when the right-hand side
//    names it, or names a local declared in R whose initializer does (at any
//    depth);
//  - an earlier statement of R's body that assigns the variable a value not
//    derived from it resets the chain each time round: no report.
// Data members and contexts reached through pointers are not tracked.
//
//===----------------------------------------------------------------------===//

#include "DerivedInLoopCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

DerivedInLoopCheck::DerivedInLoopCheck(llvm::StringRef Name,
                                       clang::tidy::ClangTidyContext *Context)
    : WalkingCheck(Name, Context), Types(Options) {}

void DerivedInLoopCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContextTypes", Types.optionValue());
}

/// The user's code, templates as written (one report per template).
class DerivedInLoopCheck::Part : public WalkPart {
public:
  Part(DerivedInLoopCheck &Check, const UserCodeWalk &Walk)
      : WalkPart(Walk, {OnBinaryOperator | OnCXXOperatorCallExpr}), Check(Check) {}

  void visitBinaryOperator(BinaryOperator *B) override {
    if (B->getOpcode() == BO_Assign)
      check(B, B->getLHS(), B->getRHS());
  }
  void visitCXXOperatorCallExpr(CXXOperatorCallExpr *C) override {
    if (C->getOperator() == OO_Equal && C->getNumArgs() == 2)
      check(C, C->getArg(0), C->getArg(1));
  }

private:
  void check(const Expr *Assign, const Expr *LHS, const Expr *RHS) {
    if (!LHS || !RHS || inUnevaluatedOperand() || inSystemHeader(Assign->getBeginLoc()))
      return;
    Check.checkAssignment(Assign, LHS, RHS, ancestors(), SM);
  }

  DerivedInLoopCheck &Check;
};

std::unique_ptr<WalkPart> DerivedInLoopCheck::makePart(const UserCodeWalk &Walk) {
  return std::make_unique<Part>(*this, Walk);
}

namespace {

/// Where an assignment runs repeatedly.
struct Region {
  const Stmt *Loop = nullptr;        // the innermost loop, or
  const LambdaExpr *Lambda = nullptr; // the lambda around it
  const Stmt *Body = nullptr;         // the loop's or the lambda's body
  const Stmt *TopLevel = nullptr;     // the statement of Body holding the assignment
};

/// The variable E names, if it is a variable or a structured binding.
const ValueDecl *namedVariable(const Expr *E) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  if (!DRE || !isa<VarDecl, BindingDecl>(DRE->getDecl()))
    return nullptr;
  return DRE->getDecl();
}

bool isStdTie(const CallExpr *C) {
  const FunctionDecl *F = C ? C->getDirectCallee() : nullptr;
  return F && F->getIdentifier() && F->getName() == "tie" && F->isInStdNamespace();
}

/// Whether the statement is an assignment to V, and (Derived) whether its
/// value names V.
bool assigns(const Stmt *S, const ValueDecl *V, const Expr *&RHS) {
  const Expr *LHS = nullptr;
  if (const auto *B = dyn_cast<BinaryOperator>(S); B && B->getOpcode() == BO_Assign)
    LHS = B->getLHS(), RHS = B->getRHS();
  else if (const auto *C = dyn_cast<CXXOperatorCallExpr>(S);
           C && C->getOperator() == OO_Equal && C->getNumArgs() == 2)
    LHS = C->getArg(0), RHS = C->getArg(1);
  if (!LHS)
    return false;
  if (namedVariable(LHS) == V)
    return true;
  if (const auto *Tie = dyn_cast<CallExpr>(LHS->IgnoreParenImpCasts()); isStdTie(Tie))
    for (const Expr *A : Tie->arguments())
      if (namedVariable(A) == V)
        return true;
  return false;
}

bool within(SourceLocation L, const Stmt *S, const SourceManager &SM) {
  if (!S || L.isInvalid())
    return false;
  L = SM.getExpansionLoc(L);
  SourceLocation B = SM.getExpansionLoc(S->getBeginLoc());
  SourceLocation E = SM.getExpansionLoc(S->getEndLoc());
  return !SM.isBeforeInTranslationUnit(L, B) && !SM.isBeforeInTranslationUnit(E, L);
}

/// Whether E names V, or a local declared in Body whose initializer does.
bool refersTo(const Stmt *E, const ValueDecl *V, const Stmt *Body, const SourceManager &SM,
              llvm::SmallPtrSetImpl<const VarDecl *> &Seen) {
  if (!E)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (DRE->getDecl() == V)
      return true;
    const auto *Local = dyn_cast<VarDecl>(DRE->getDecl());
    if (Local && Local->isLocalVarDecl() && Local->getInit() && Seen.insert(Local).second &&
        within(Local->getLocation(), Body, SM))
      return refersTo(Local->getInit(), V, Body, SM, Seen);
    return false;
  }
  for (const Stmt *C : E->children())
    if (refersTo(C, V, Body, SM, Seen))
      return true;
  return false;
}

/// The region where the node at the end of Ancestors runs repeatedly, if
/// any: the innermost loop (not its for-init or range), else the lambda.
Region repeatedRegion(llvm::ArrayRef<DynTypedNode> Ancestors) {
  Region R;
  // The statement below the node looked at, and the one below that: when
  // Child is the region's body, Grand is the body's statement that holds
  // the assignment (null when it is in a loop's condition or increment).
  const Stmt *Child = nullptr, *Grand = nullptr;
  auto TopLevel = [&](const Stmt *Body) { return Child == Body ? Grand : nullptr; };
  for (size_t I = Ancestors.size(); I-- > 0;) {
    const DynTypedNode &N = Ancestors[I];
    if (const auto *D = N.get<Decl>()) {
      // A function's body is a region of its own; a lambda's call operator
      // leads to its LambdaExpr.
      const auto *M = dyn_cast<CXXMethodDecl>(D);
      if (!M || !M->getParent()->isLambda())
        if (isa<FunctionDecl, BlockDecl, ObjCMethodDecl, CapturedDecl>(D))
          return {};
      if (M && M->getParent()->isLambda()) {
        for (size_t J = I; J-- > 0;)
          if (const auto *L = Ancestors[J].get<LambdaExpr>()) {
            R.Lambda = L;
            R.Body = M->getBody();
            R.TopLevel = TopLevel(R.Body);
            return R;
          }
        return {};
      }
      continue;
    }
    const Stmt *S = N.get<Stmt>();
    if (!S)
      continue;
    const Stmt *Body = nullptr;
    if (const auto *F = dyn_cast<ForStmt>(S)) {
      if (Child != F->getInit())
        Body = F->getBody();
    } else if (const auto *W = dyn_cast<WhileStmt>(S)) {
      Body = W->getBody();
    } else if (const auto *Do = dyn_cast<DoStmt>(S)) {
      Body = Do->getBody();
    } else if (const auto *RF = dyn_cast<CXXForRangeStmt>(S)) {
      if (Child == RF->getBody() || Child == RF->getLoopVarStmt())
        Body = RF->getBody();
    }
    if (Body) {
      R.Loop = S;
      R.Body = Body;
      R.TopLevel = TopLevel(Body);
      return R;
    }
    Grand = Child;
    Child = S;
  }
  return {};
}

} // namespace

void DerivedInLoopCheck::checkAssignment(const Expr *Assign, const Expr *LHS, const Expr *RHS,
                                         llvm::ArrayRef<DynTypedNode> Ancestors,
                                         const SourceManager &SM) {
  llvm::SmallVector<const ValueDecl *, 2> Targets;
  if (const ValueDecl *V = namedVariable(LHS))
    Targets.push_back(V);
  else if (const auto *Tie = dyn_cast<CallExpr>(LHS->IgnoreParenImpCasts()); isStdTie(Tie))
    for (const Expr *A : Tie->arguments())
      if (const ValueDecl *V = namedVariable(A))
        Targets.push_back(V);
  llvm::erase_if(Targets, [&](const ValueDecl *V) { return !Types.isContextOrRef(V->getType()); });
  if (Targets.empty())
    return;

  Region R = repeatedRegion(Ancestors);
  if (!R.Body)
    return;
  for (const ValueDecl *V : Targets) {
    // Declared in the region: a new variable each time round.
    if (within(V->getLocation(), R.Body, SM))
      continue;
    if (R.Loop) {
      const VarDecl *PerIteration = nullptr;
      if (const auto *RF = dyn_cast<CXXForRangeStmt>(R.Loop))
        PerIteration = RF->getLoopVariable();
      else if (const auto *W = dyn_cast<WhileStmt>(R.Loop))
        PerIteration = W->getConditionVariable();
      else if (const auto *F = dyn_cast<ForStmt>(R.Loop))
        PerIteration = F->getConditionVariable();
      if (V == PerIteration)
        continue;
    } else {
      // A lambda: only what outlives one call, a capture by reference or a
      // mutable lambda's own copy.
      bool Kept = false;
      const auto *VD = dyn_cast<VarDecl>(V);
      if (VD && VD->isInitCapture())
        Kept = VD->getType()->isReferenceType() || R.Lambda->isMutable();
      for (const LambdaCapture &C : R.Lambda->captures())
        if (C.capturesVariable() && C.getCapturedVar() == V)
          Kept = C.getCaptureKind() == LCK_ByRef || R.Lambda->isMutable();
      if (!Kept)
        continue;
    }
    llvm::SmallPtrSet<const VarDecl *, 4> Seen;
    if (!refersTo(RHS, V, R.Body, SM, Seen))
      continue;
    // An earlier statement of the body that resets the variable to a value
    // not derived from it: the chain starts again each time round.
    bool Reset = false;
    if (const auto *CS = dyn_cast<CompoundStmt>(R.Body))
      for (const Stmt *S : CS->body()) {
        if (S == R.TopLevel)
          break;
        const Expr *Value = nullptr;
        const Expr *E = dyn_cast<Expr>(S);
        llvm::SmallPtrSet<const VarDecl *, 4> Seen2;
        if (E && assigns(E->IgnoreParenImpCasts(), V, Value) &&
            !refersTo(Value, V, R.Body, SM, Seen2)) {
          Reset = true;
          break;
        }
      }
    if (Reset)
      continue;

    std::string Name;
    llvm::raw_string_ostream OS(Name);
    V->printName(OS);
    diag(Assign->getBeginLoc(),
         "context '%0' is derived from itself %select{in a loop|in a lambda that may run many "
         "times}1: each %select{iteration|call}1 adds a level to its chain, so lookups and "
         "memory grow without bound; derive into a new variable declared %select{in the loop "
         "body|in the lambda}1 instead")
        << OS.str() << (R.Loop ? 0 : 1) << Assign->getSourceRange();
    if (R.Loop)
      diag(R.Loop->getBeginLoc(), "the loop", DiagnosticIDs::Note);
    else
      diag(R.Lambda->getBeginLoc(), "the lambda, which keeps '%0' from one call to the next",
           DiagnosticIDs::Note)
          << OS.str();
  }
}

} // namespace ctx::tidy
