//===- LostCancelCheck.cpp - context-lost-cancel --------------------------===//
//
// Two passes over each function-like body, then one CFG search per cancel:
//  1. a walk of the body (not of nested lambdas and blocks, which are bodies
//     of their own) that finds the factory calls and classifies each by what
//     is done with its result: a definition of a tracked local (binding,
//     variable, std::tie or assignment target), a discard, or "handed on"
//     (passed, returned, stored elsewhere: not ours to follow);
//  2. only if something is tracked, a second walk that records which
//     references to the tracked variables are uses;
//  3. the CFG is built once, each block's relevant elements are listed once,
//     and from every definition a breadth-first search looks for an exit
//     reached without a use. Blocks that use the variable stop the search,
//     so the work is linear in the CFG per variable.
//
//===----------------------------------------------------------------------===//

#include "LostCancelCheck.h"
#include "CheckUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclObjC.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <deque>

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

namespace {

const NamedDecl *stdDecl(const NamedDecl *D, llvm::StringRef Name) {
  if (!D || !D->getIdentifier() || D->getName() != Name)
    return nullptr;
  return D->isInStdNamespace() ? D : nullptr;
}

/// RD as a std::pair specialization, if it is one.
const ClassTemplateSpecializationDecl *asStdPair(const CXXRecordDecl *RD) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || !stdDecl(Spec, "pair") || Spec->getTemplateArgs().size() != 2)
    return nullptr;
  return Spec;
}

/// The std::pair specialization behind T, if any.
const ClassTemplateSpecializationDecl *asStdPair(QualType T) {
  if (T.isNull())
    return nullptr;
  return asStdPair(T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl());
}

/// Nodes that pass a value through unchanged for our purposes.
bool isTransparent(const Stmt *S) {
  if (isa<ImplicitCastExpr, ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
          FullExpr>(S))
    return true;
  if (const auto *C = dyn_cast<CXXConstructExpr>(S))
    return C->getNumArgs() == 1 && C->getConstructor() &&
           C->getConstructor()->isCopyOrMoveConstructor();
  // `T x{expr}` where expr is already a T: braces, not a conversion (an
  // aggregate that merely holds the value is a different type).
  if (const auto *IL = dyn_cast<InitListExpr>(S))
    return IL->getNumInits() == 1 && IL->getInit(0) &&
           IL->getType().getCanonicalType().getUnqualifiedType() ==
               IL->getInit(0)->getType().getCanonicalType().getUnqualifiedType();
  return false;
}

const Expr *strip(const Expr *E) {
  while (E) {
    if (const auto *C = dyn_cast<CXXConstructExpr>(E)) {
      if (!isTransparent(C))
        return E;
      E = C->getArg(0);
    } else if (const auto *IL = dyn_cast<InitListExpr>(E)) {
      if (!isTransparent(IL))
        return E;
      E = IL->getInit(0);
    } else if (isTransparent(E)) {
      const Stmt *Child = *E->child_begin();
      E = dyn_cast_or_null<Expr>(Child);
    } else {
      return E;
    }
  }
  return E;
}

/// `.first` (0) or `.second` (1) of a std::pair, else -1.
int pairField(const MemberExpr *ME) {
  const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
  if (!FD || !asStdPair(dyn_cast<CXXRecordDecl>(FD->getParent())))
    return -1;
  unsigned I = FD->getFieldIndex();
  return I < 2 ? int(I) : -1;
}

/// For `std::get<N>(x)` / `std::get<T>(x)` on a pair, the element index.
int stdGetIndex(const CallExpr *C) {
  const FunctionDecl *FD = C->getDirectCallee();
  if (!FD || C->getNumArgs() != 1 || !stdDecl(FD, "get"))
    return -1;
  const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs();
  if (!Args || Args->size() == 0)
    return -1;
  const TemplateArgument &A = Args->get(0);
  if (A.getKind() == TemplateArgument::Integral) {
    uint64_t V = A.getAsIntegral().getZExtValue();
    return V < 2 ? int(V) : -1;
  }
  if (A.getKind() == TemplateArgument::Type) {
    const auto *Pair = asStdPair(C->getArg(0)->getType());
    if (!Pair)
      return -1;
    QualType Want = A.getAsType().getCanonicalType().getUnqualifiedType();
    for (int I = 0; I < 2; ++I)
      if (Pair->getTemplateArgs()[I].getAsType().getCanonicalType().getUnqualifiedType() ==
          Want)
        return I;
  }
  return -1;
}

/// Whether Child's value is thrown away by its parent P.
bool isDiscardedBy(const Stmt *P, const Stmt *Child) {
  // The root of an initializer outside a body (a constructor's
  // mem-initializer, a default member initializer, a global's initializer):
  // the value is stored in what it initialises.
  if (!P)
    return false;
  if (isa<CompoundStmt, LabelStmt, AttributedStmt, SwitchCase>(P))
    return true;
  if (const auto *If = dyn_cast<IfStmt>(P))
    return Child == If->getThen() || Child == If->getElse();
  if (const auto *W = dyn_cast<WhileStmt>(P))
    return Child == W->getBody();
  if (const auto *D = dyn_cast<DoStmt>(P))
    return Child == D->getBody();
  if (const auto *F = dyn_cast<ForStmt>(P))
    return Child == F->getInit() || Child == F->getBody() || Child == F->getInc();
  if (const auto *F = dyn_cast<CXXForRangeStmt>(P))
    return Child == F->getBody();
  if (const auto *B = dyn_cast<BinaryOperator>(P))
    return B->getOpcode() == BO_Comma && Child == B->getLHS();
  if (const auto *C = dyn_cast<ExplicitCastExpr>(P))
    return C->getType()->isVoidType();
  return false;
}

enum class Mode { Cancel, Pair };

struct Def {
  const ValueDecl *Var;
  unsigned VarIdx;
  Mode M;
  const Decl *DeclKey;  // the declaration whose DeclStmt obtains it, or
  const Stmt *StmtKey;  // the assignment that obtains it
  SourceLocation Loc;
  const FunctionDecl *Factory;
};

struct Discard {
  SourceLocation Loc;
  const FunctionDecl *Factory;
};

/// `.first` (0) or `.second` (1) taken by P from a pair, else -1. A member
/// named on a dependent pair (a factory call in a template) counts by name.
int memberPart(const Stmt *P) {
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(P))
    return pairField(ME);
  if (const auto *DM = dyn_cast_or_null<CXXDependentScopeMemberExpr>(P)) {
    const IdentifierInfo *II = DM->getMember().getAsIdentifierInfo();
    if (DM->isImplicitAccess() || !II)
      return -1;
    return II->getName() == "first" ? 0 : II->getName() == "second" ? 1 : -1;
  }
  return -1;
}

/// The body walks (passes 1 and 2 above).
class BodyScan {
public:
  BodyScan(const LostCancelCheck &Check, const DeclContext *Fn) : Check(Check), Fn(Fn) {}

  bool Error = false;
  bool CollectUses = false;
  llvm::SmallVector<Def, 4> Defs;
  llvm::SmallVector<Discard, 4> Discards;
  llvm::SmallVector<const ValueDecl *, 4> Vars;
  llvm::DenseMap<const ValueDecl *, unsigned> VarIndex;
  llvm::DenseMap<const ValueDecl *, Mode> VarMode;
  llvm::SmallPtrSet<const DeclRefExpr *, 4> DefRefs;
  llvm::DenseMap<const DeclRefExpr *, unsigned> Uses;
  llvm::SmallVector<unsigned, 4> UseCount;
  /// Variables whose address escapes (a by-reference capture, `&v`, a
  /// reference bound to it): code we cannot see may use them at any time.
  llvm::SmallPtrSet<const ValueDecl *, 4> Escaped;
  /// Calls made inside a try block of the analysed body, with the innermost
  /// such try.
  llvm::DenseMap<const Stmt *, const CXXTryStmt *> InTry;

  void visit(const Stmt *S) {
    if (!S || Error)
      return;
    if (const auto *E = dyn_cast<Expr>(S); E && E->containsErrors()) {
      Error = true;
      return;
    }
    if (isUnevaluatedOperator(S))
      return;
    if (!CollectUses) {
      if (!TryStack.empty() && isa<CallExpr, CXXConstructExpr, CXXNewExpr>(S))
        InTry[S] = TryStack.back();
      if (const auto *CE = dyn_cast<CallExpr>(S))
        classify(CE);
    } else if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      noteReference(DRE);
    } else if (const auto *B = dyn_cast<BlockExpr>(S)) {
      // A block's captures have no expression here: each is a use (and a
      // `__block` one escapes).
      for (const BlockDecl::Capture &C : B->getBlockDecl()->captures())
        if (auto It = VarIndex.find(C.getVariable()); It != VarIndex.end()) {
          ++UseCount[It->second];
          if (C.isByRef())
            escape(C.getVariable());
        }
    }
    Stack.push_back(S);
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      // The body is analysed on its own; the captures are uses here.
      if (CollectUses)
        for (const LambdaCapture &C : L->captures()) {
          if (!C.capturesVariable())
            continue;
          const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar());
          if (VD && VD->isInitCapture()) {
            if (VD->getType()->isReferenceType())
              escape(referencedDecl(VD->getInit()));
          } else if (C.getCaptureKind() == LCK_ByRef) {
            escape(C.getCapturedVar());
          }
        }
      for (const Expr *Init : L->capture_inits())
        visit(Init);
    } else if (isa<BlockExpr>(S)) {
      // Likewise; a block's captures are looked up in the CFG pass.
    } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls()) {
        if (D->isInvalidDecl()) {
          Error = true;
          break;
        }
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (const Expr *Init = VD->getInit()) {
            InitOwner[Init] = VD;
            if (CollectUses && VD->getType()->isReferenceType())
              escape(referencedDecl(Init));
            visit(Init);
          }
      }
    } else if (const auto *Try = dyn_cast<CXXTryStmt>(S)) {
      TryStack.push_back(Try);
      visit(Try->getTryBlock());
      TryStack.pop_back();
      for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
        visit(Try->getHandler(I));
    } else {
      for (const Stmt *C : S->children())
        visit(C);
    }
    Stack.pop_back();
  }

private:
  struct Up {
    const Stmt *P;      // the first non-transparent ancestor (null at the top)
    const Stmt *Child;  // its child on the way up
    size_t Pos;         // P's index in Stack
  };

  /// Whether P, at stack position PIdx, hands the value of its child Child
  /// on as its own value: a conditional's branches, and the last statement
  /// of a statement expression.
  bool passesValueOn(const Stmt *P, const Stmt *Child, size_t PIdx) const {
    if (const auto *CO = dyn_cast<ConditionalOperator>(P))
      return Child == CO->getTrueExpr() || Child == CO->getFalseExpr();
    if (isa<StmtExpr>(P))
      return true; // reached only from its value, see below
    if (const auto *CS = dyn_cast<CompoundStmt>(P))
      if (PIdx > 0)
        if (const auto *SE = dyn_cast<StmtExpr>(Stack[PIdx - 1]))
          return SE->getSubStmt() == CS && !CS->body_empty() && CS->body_back() == Child;
    return false;
  }

  /// Climbs from the node at stack position Pos (Stack.size() for the node
  /// being visited) over transparent ancestors.
  Up climb(size_t Pos, const Stmt *Child) const {
    while (Pos > 0) {
      const Stmt *P = Stack[Pos - 1];
      if (!isTransparent(P) && !passesValueOn(P, Child, Pos - 1))
        return {P, Child, Pos - 1};
      Child = P;
      --Pos;
    }
    return {nullptr, Child, 0};
  }

  /// The tracked variable E names (looking through transparent nodes), if any.
  const ValueDecl *referencedDecl(const Expr *E) const {
    if (E)
      E = strip(E);
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
    return DRE ? DRE->getDecl() : nullptr;
  }

  void escape(const ValueDecl *V) {
    if (V && VarIndex.count(V))
      Escaped.insert(V);
  }

  /// A local of the analysed function that we can follow: a variable, or a
  /// binding of a structured binding declared here (not one that refers to
  /// someone else's object, unless it already holds one of our cancels).
  const ValueDecl *trackable(const Expr *E) const {
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? strip(E) : nullptr);
    if (!DRE)
      return nullptr;
    if (const auto *BD = dyn_cast<BindingDecl>(DRE->getDecl())) {
      if (VarIndex.count(BD))
        return BD;
      const auto *DD = dyn_cast_or_null<VarDecl>(BD->getDecomposedDecl());
      if (!DD || !DD->hasLocalStorage() || DD->getType()->isReferenceType() ||
          DD->getDeclContext() != Fn)
        return nullptr;
      return BD;
    }
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD || isa<ParmVarDecl>(VD) || !VD->hasLocalStorage() ||
        VD->getType()->isReferenceType() || VD->getDeclContext() != Fn)
      return nullptr;
    return VD;
  }

  unsigned addVar(const ValueDecl *V, Mode M) {
    auto [It, New] = VarIndex.try_emplace(V, Vars.size());
    if (New) {
      Vars.push_back(V);
      VarMode[V] = M;
      UseCount.push_back(0);
    }
    return It->second;
  }

  void addDef(const ValueDecl *V, Mode M, const Decl *DK, const Stmt *SK, SourceLocation Loc,
              const FunctionDecl *F) {
    // Both branches of a conditional obtain the same variable in the same
    // statement: one definition.
    for (const Def &D : Defs)
      if (D.Var == V && D.DeclKey == DK && D.StmtKey == SK)
        return;
    Defs.push_back({V, addVar(V, M), M, DK, SK, Loc, F});
  }

  /// The factory CE calls, if any. In a template, an unqualified call with
  /// a dependent argument stays unresolved until instantiation (which is not
  /// analysed): a factory among its candidates makes it one.
  const FunctionDecl *factoryCalled(const CallExpr *CE) const {
    if (const FunctionDecl *F = CE->getDirectCallee())
      return Check.isFactory(F) ? F : nullptr;
    const auto *ULE = dyn_cast_or_null<UnresolvedLookupExpr>(
        CE->getCallee() ? CE->getCallee()->IgnoreParenImpCasts() : nullptr);
    if (!ULE)
      return nullptr;
    for (const NamedDecl *ND : ULE->decls()) {
      const NamedDecl *U = ND->getUnderlyingDecl();
      const auto *F = dyn_cast<FunctionDecl>(U);
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(U))
        F = FT->getTemplatedDecl();
      if (F && Check.isFactory(F))
        return F;
    }
    return nullptr;
  }

  void classify(const CallExpr *CE) {
    const FunctionDecl *F = factoryCalled(CE);
    if (!F)
      return;
    Up U = climb(Stack.size(), CE);
    int Part = -1;
    if (isa_and_nonnull<MemberExpr, CXXDependentScopeMemberExpr>(U.P)) {
      Part = memberPart(U.P);
      if (Part < 0)
        return; // some other member: handed on
      U = climb(U.Pos, U.P);
    } else if (const auto *G = dyn_cast_or_null<CallExpr>(U.P); G && stdGetIndex(G) >= 0) {
      Part = stdGetIndex(G);
      U = climb(U.Pos, G);
    }
    if (Part == 0) {
      Discards.push_back({CE->getBeginLoc(), F});
      return;
    }

    // Initialiser of a declaration.
    if (isa_and_nonnull<DeclStmt>(U.P)) {
      auto It = InitOwner.find(dyn_cast<Expr>(U.Child));
      if (It == InitOwner.end())
        return;
      const VarDecl *VD = It->second;
      if (VD->getDeclContext() != Fn || !VD->hasLocalStorage())
        return;
      if (const auto *DD = dyn_cast<DecompositionDecl>(VD)) {
        if (Part == -1 && DD->bindings().size() == 2)
          addDef(DD->bindings()[1], Mode::Cancel, DD, nullptr,
                 DD->bindings()[1]->getLocation(), F);
        return;
      }
      addDef(VD, Part == 1 ? Mode::Cancel : Mode::Pair, VD, nullptr, VD->getLocation(), F);
      return;
    }

    // Right-hand side of an assignment.
    const Expr *LHS = nullptr;
    if (const auto *BO = dyn_cast_or_null<BinaryOperator>(U.P)) {
      if (BO->getOpcode() == BO_Assign && BO->getRHS() == U.Child)
        LHS = BO->getLHS();
    } else if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(U.P)) {
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 && OC->getArg(1) == U.Child)
        LHS = OC->getArg(0);
    }
    if (LHS) {
      auto IsIgnore = [](const Expr *E) {
        const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E);
        return DRE && stdDecl(DRE->getDecl(), "ignore");
      };
      // `std::ignore = with_cancel(p);`
      if (IsIgnore(strip(LHS))) {
        Discards.push_back({CE->getBeginLoc(), F});
        return;
      }
      const auto *Tie = dyn_cast<CallExpr>(strip(LHS));
      if (Part == -1 && Tie && Tie->getDirectCallee() &&
          stdDecl(Tie->getDirectCallee(), "tie") && Tie->getNumArgs() == 2) {
        const Expr *Second = strip(Tie->getArg(1));
        if (IsIgnore(Second)) {
          Discards.push_back({Second->getBeginLoc(), F});
        } else if (const ValueDecl *VD = trackable(Second)) {
          DefRefs.insert(cast<DeclRefExpr>(Second));
          addDef(VD, Mode::Cancel, nullptr, U.P, Second->getBeginLoc(), F);
        }
        return;
      }
      if (const ValueDecl *VD = trackable(LHS)) {
        DefRefs.insert(cast<DeclRefExpr>(strip(LHS)));
        addDef(VD, Part == 1 ? Mode::Cancel : Mode::Pair, nullptr, U.P, LHS->getBeginLoc(), F);
      }
      return;
    }

    if (isDiscardedBy(U.P, U.Child))
      Discards.push_back({CE->getBeginLoc(), F});
    // Anything else hands the result (or its cancel) on.
  }

  void noteReference(const DeclRefExpr *DRE) {
    auto It = VarIndex.find(DRE->getDecl());
    if (It == VarIndex.end() || DefRefs.count(DRE))
      return;
    Up U = climb(Stack.size(), DRE);
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(U.P); UO && UO->getOpcode() == UO_AddrOf)
      escape(It->first);
    if (const auto *C = dyn_cast_or_null<CallExpr>(U.P);
        C && C->getDirectCallee() && stdDecl(C->getDirectCallee(), "addressof"))
      escape(It->first);
    if (VarMode[It->first] == Mode::Pair) {
      // Taking the context out of the pair does not use the cancel.
      if (memberPart(U.P) == 0)
        return;
      if (const auto *G = dyn_cast_or_null<CallExpr>(U.P); G && stdGetIndex(G) == 0)
        return;
    }
    Uses[DRE] = It->second;
    ++UseCount[It->second];
  }

  const LostCancelCheck &Check;
  const DeclContext *Fn;
  llvm::SmallVector<const Stmt *, 32> Stack;
  llvm::DenseMap<const Expr *, const VarDecl *> InitOwner;
  llvm::SmallVector<const CXXTryStmt *, 2> TryStack;
};

bool mayThrow(const Stmt *S) {
  const FunctionDecl *FD = nullptr;
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    FD = CE->getDirectCallee();
    if (!FD) {
      QualType T = CE->getCallee()->getType();
      if (const auto *PT = T->getAs<PointerType>())
        T = PT->getPointeeType();
      const auto *FPT = T->getAs<FunctionProtoType>();
      return !FPT || !FPT->isNothrow();
    }
  } else if (const auto *C = dyn_cast<CXXConstructExpr>(S)) {
    FD = C->getConstructor();
    if (FD && cast<CXXConstructorDecl>(FD)->isTrivial())
      return false;
  } else if (const auto *N = dyn_cast<CXXNewExpr>(S)) {
    FD = N->getOperatorNew();
  } else {
    return false;
  }
  if (!FD)
    return false;
  if (FD->getBuiltinID() || FD->hasAttr<NoThrowAttr>())
    return false;
  const auto *FPT = FD->getType()->getAs<FunctionProtoType>();
  return !FPT || !FPT->isNothrow();
}

enum EventKind { EvUse, EvDef, EvCoreturn, EvMayThrow, EvMayThrowInTry };
struct Event {
  EventKind K;
  unsigned Idx; // variable index for EvUse/EvDef, dispatch block for EvMayThrowInTry
  const Stmt *S;
};

enum ExitKind { ExReturn, ExCoreturn, ExEnd, ExThrow, ExMayThrow, ExOverwrite, ExRedeclared };

const Stmt *lastStmt(const CFGBlock &B) {
  for (auto I = B.rbegin(), E = B.rend(); I != E; ++I)
    if (auto CS = I->getAs<CFGStmt>())
      return CS->getStmt();
  return nullptr;
}

} // namespace

LostCancelCheck::LostCancelCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Types(Options),
      CancelFactories(Options
                          .get("CancelFactories",
                               "::ctx::with_cancel;::ctx::with_cancel_cause;::ctx::with_deadline;"
                               "::ctx::with_deadline_cause;::ctx::with_timeout;"
                               "::ctx::with_timeout_cause;::ctx::signal_context")
                          .str()),
      StrictExceptions(Options.get("StrictExceptions", false)) {
  for (std::string &N : parseList(CancelFactories)) {
    llvm::StringRef S(N);
    S.consume_front("::");
    FactoryNames.push_back(S.str());
  }
}

void LostCancelCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContextTypes", Types.optionValue());
  Options.store(Opts, "CancelFactories", CancelFactories);
  Options.store(Opts, "StrictExceptions", StrictExceptions);
}

bool LostCancelCheck::isFactory(const FunctionDecl *D) const {
  if (!D || !D->getIdentifier())
    return false;
  llvm::StringRef Short = D->getName();
  bool Named = false;
  for (const std::string &N : FactoryNames)
    if (llvm::StringRef(N).ends_with(Short) && D->getQualifiedNameAsString() == N) {
      Named = true;
      break;
    }
  if (!Named)
    return false;
  // A factory hands back (context, cancel): the context decides which of the
  // configured ContextTypes it belongs to.
  const auto *Pair = asStdPair(D->getReturnType());
  return Pair && Types.isContext(Pair->getTemplateArgs()[0].getAsType());
}

/// A variable whose initializer lies outside any body: a global, a static
/// data member, a parameter's default argument. Local variables belong to
/// their function's analysis; instantiations to their template's.
static bool hasInitializerOutsideBody(const VarDecl &Node) {
  if (const auto *P = dyn_cast<ParmVarDecl>(&Node))
    return P->hasDefaultArg() && !P->hasUnparsedDefaultArg() &&
           !P->hasUninstantiatedDefaultArg();
  return !Node.isLocalVarDecl() && Node.getInit() &&
         Node.getTemplateSpecializationKind() != TSK_ImplicitInstantiation;
}

/// The user's code: every function-like body, and the initializers outside
/// any body (what they obtain is stored in the member or variable, so only
/// a discard, `with_cancel(p).first`, is reported there). Instantiations
/// are not walked: a template is analysed once, as written.
class LostCancelCheck::Visitor : public UserCodeVisitor<LostCancelCheck::Visitor> {
public:
  Visitor(LostCancelCheck &Check, ASTContext &Ctx) : UserCodeVisitor(Ctx), Check(Check) {}

  bool shouldVisitTemplateInstantiations() const { return false; }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->isThisDeclarationADefinition())
      analyse(FD, FD, FD->getBody(), nullptr);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    const CXXMethodDecl *Op = L->getCallOperator();
    analyse(L, Op, Op ? Op->getBody() : nullptr, nullptr);
    return true;
  }
  bool VisitBlockExpr(BlockExpr *B) {
    analyse(B, B->getBlockDecl(), B->getBody(), nullptr);
    return true;
  }
  bool VisitObjCMethodDecl(ObjCMethodDecl *M) {
    if (M->isThisDeclarationADefinition())
      analyse(M, M, M->getBody(), nullptr);
    return true;
  }
  bool VisitFieldDecl(FieldDecl *F) {
    if (const Expr *Init = F->getInClassInitializer())
      analyse(F, F, nullptr, Init);
    return true;
  }
  bool VisitVarDecl(VarDecl *V) {
    if (hasInitializerOutsideBody(*V)) {
      const auto *P = dyn_cast<ParmVarDecl>(V);
      analyse(V, V, nullptr, P ? P->getDefaultArg() : V->getInit());
    }
    return true;
  }

private:
  template <typename Node>
  void analyse(const Node *N, const Decl *Fn, const Stmt *Body, const Expr *Init) {
    if (!Fn || (!Body && !Init) || inSystemHeader(N->getBeginLoc()))
      return;
    if (Fn->isInvalidDecl() || !Check.Analysed.insert(Fn).second || isInInstantiation(Fn))
      return;
    if (Body)
      Check.analyse(Fn, Body, Ctx);
    else
      Check.analyseInitializer(Fn, Init);
  }

  LostCancelCheck &Check;
};

void LostCancelCheck::registerMatchers(MatchFinder *Finder) {
  if (FactoryNames.empty())
    return;
  // One match: the check walks the user's code itself (see UserCodeVisitor).
  Finder->addMatcher(translationUnitDecl(), this);
}

void LostCancelCheck::check(const MatchFinder::MatchResult &Result) {
  Visitor(*this, *Result.Context).traverseTranslationUnit();
}

void LostCancelCheck::reportDiscard(SourceLocation Loc, const FunctionDecl *Factory) {
  diag(Loc, "the cancel function returned by '%0' is discarded; the context stays "
            "registered with its parent until the parent ends")
      << Factory->getQualifiedNameAsString();
}

void LostCancelCheck::analyseInitializer(const Decl *Owner, const Expr *Init) {
  BodyScan Scan(*this, Owner->getDeclContext());
  Scan.visit(Init);
  if (Scan.Error)
    return;
  for (const Discard &D : Scan.Discards)
    reportDiscard(D.Loc, D.Factory);
}

void LostCancelCheck::analyse(const Decl *Fn, const Stmt *Body, ASTContext &Ctx) {
  // A coroutine's own statements are its body; the rest is the frame's
  // machinery.
  if (const auto *Coro = dyn_cast<CoroutineBodyStmt>(Body))
    Body = Coro->getBody();
  if (!Body)
    return;

  const auto *DC = cast<DeclContext>(Fn);
  BodyScan Scan(*this, DC);
  Scan.visit(Body);
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Fn))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten())
        Scan.visit(Init->getInit());
  if (Scan.Error || (Scan.Defs.empty() && Scan.Discards.empty()))
    return;

  for (const Discard &D : Scan.Discards)
    reportDiscard(D.Loc, D.Factory);
  if (Scan.Defs.empty())
    return;

  Scan.CollectUses = true;
  Scan.visit(Body);
  if (Scan.Error)
    return;

  auto Spelling = [&](const Def &D) {
    std::string Name = D.Var->getNameAsString();
    return D.M == Mode::Pair ? Name + ".second" : Name;
  };

  // A variable never referenced at all (apart from being assigned) is a
  // discard whatever the paths; the path rule covers the rest.
  const auto *FD = dyn_cast<FunctionDecl>(Fn);
  bool IsMain = FD && FD->isMain();
  llvm::SmallVector<const Def *, 4> PathDefs;
  for (const Def &D : Scan.Defs) {
    if (Scan.UseCount[D.VarIdx] == 0)
      reportDiscard(D.Loc, D.Factory);
    // A variable whose address escaped may be used by code the paths do not
    // show (a guard's lambda taken before the cancel was assigned).
    else if (!IsMain && !Scan.Escaped.count(D.Var))
      PathDefs.push_back(&D);
  }
  if (PathDefs.empty())
    return;

  CFG::BuildOptions Opts;
  Opts.setAllAlwaysAdd();
  std::unique_ptr<CFG> G = CFG::buildCFG(Fn, const_cast<Stmt *>(Body), &Ctx, Opts);
  if (!G)
    return;

  // The elements that matter, per block, in order.
  unsigned N = G->getNumBlockIDs();
  std::vector<llvm::SmallVector<Event, 2>> Events(N);
  llvm::DenseMap<const Decl *, llvm::SmallVector<unsigned, 1>> DefsByDecl;
  llvm::DenseMap<const Stmt *, llvm::SmallVector<unsigned, 1>> DefsByStmt;
  for (unsigned I = 0; I < Scan.Defs.size(); ++I) {
    if (Scan.Defs[I].DeclKey)
      DefsByDecl[Scan.Defs[I].DeclKey].push_back(I);
    else
      DefsByStmt[Scan.Defs[I].StmtKey].push_back(I);
  }
  // Where each definition sits: (block, event index).
  std::vector<std::pair<int, unsigned>> DefPos(Scan.Defs.size(), {-1, 0});
  auto AddDefs = [&](const CFGBlock &B, const llvm::SmallVector<unsigned, 1> &Ds,
                     const Stmt *S) {
    for (unsigned D : Ds) {
      if (DefPos[D].first < 0)
        DefPos[D] = {int(B.getBlockID()), unsigned(Events[B.getBlockID()].size())};
      Events[B.getBlockID()].push_back({EvDef, Scan.Defs[D].VarIdx, S});
    }
  };
  // Each try statement's dispatch block: its successors are the handlers
  // (and the exit, or an outer dispatch, when no handler catches all).
  llvm::DenseMap<const CXXTryStmt *, unsigned> Dispatch;
  for (const CFGBlock *B : G->try_blocks())
    if (const auto *T = dyn_cast_or_null<CXXTryStmt>(B->getTerminatorStmt()))
      Dispatch[T] = B->getBlockID();
  std::vector<const CFGBlock *> ById(N, nullptr);
  for (const CFGBlock *B : *G) {
    ById[B->getBlockID()] = B;
    auto &Ev = Events[B->getBlockID()];
    for (const CFGElement &E : *B) {
      auto CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *S = CS->getStmt();
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
        auto It = Scan.Uses.find(DRE);
        if (It != Scan.Uses.end())
          Ev.push_back({EvUse, It->second, S});
      } else if (const auto *L = dyn_cast<LambdaExpr>(S)) {
        for (const LambdaCapture &C : L->captures())
          if (C.capturesVariable()) {
            auto It = Scan.VarIndex.find(C.getCapturedVar());
            if (It != Scan.VarIndex.end())
              Ev.push_back({EvUse, It->second, S});
          }
      } else if (const auto *BE = dyn_cast<BlockExpr>(S)) {
        for (const BlockDecl::Capture &C : BE->getBlockDecl()->captures()) {
          auto It = Scan.VarIndex.find(C.getVariable());
          if (It != Scan.VarIndex.end())
            Ev.push_back({EvUse, It->second, S});
        }
      } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
        for (const Decl *D : DS->decls()) {
          auto It = DefsByDecl.find(D);
          if (It != DefsByDecl.end())
            AddDefs(*B, It->second, S);
        }
      } else if (isa<CoreturnStmt>(S)) {
        Ev.push_back({EvCoreturn, 0, S});
      }
      if (auto It = DefsByStmt.find(S); It != DefsByStmt.end())
        AddDefs(*B, It->second, S);
      // The statement that obtains the cancel does not count: if it throws,
      // there is no cancel yet.
      if (StrictExceptions && isa<CallExpr, CXXConstructExpr, CXXNewExpr>(S) &&
          !DefsByStmt.count(S) && mayThrow(S)) {
        // Inside a try, the exception goes to the try's handlers (the CFG
        // has no edge for it).
        auto T = Scan.InTry.find(S);
        if (T == Scan.InTry.end())
          Ev.push_back({EvMayThrow, 0, S});
        else if (auto D = Dispatch.find(T->second); D != Dispatch.end())
          Ev.push_back({EvMayThrowInTry, D->second, S});
      }
    }
  }

  const CFGBlock *Exit = &G->getExit();
  std::vector<int> Parent(N, -1);
  std::vector<const Stmt *> Via(N, nullptr);
  llvm::BitVector Seen(N);
  for (const Def *DP : PathDefs) {
    const Def &D = *DP;
    unsigned DefIdx = unsigned(DP - Scan.Defs.data());
    if (DefPos[DefIdx].first < 0)
      continue; // not in the CFG (e.g. pruned): nothing to say
    Seen.reset();
    std::fill(Parent.begin(), Parent.end(), -1);
    unsigned Start = unsigned(DefPos[DefIdx].first);
    const Stmt *DefStmt = Events[Start][DefPos[DefIdx].second].S;

    ExitKind Kind = ExEnd;
    const Stmt *At = nullptr;
    int AtBlock = -1;
    std::deque<unsigned> Queue;
    // For a try's dispatch block: the throw or call that led there.
    std::fill(Via.begin(), Via.end(), nullptr);
    auto Enqueue = [&](unsigned From, const CFGBlock *To, const Stmt *ViaStmt) {
      if (!To || To == Exit || Seen.test(To->getBlockID()))
        return;
      Seen.set(To->getBlockID());
      Parent[To->getBlockID()] = int(From);
      Via[To->getBlockID()] = ViaStmt;
      Queue.push_back(To->getBlockID());
    };
    // Scans block B from event From; true if the path goes on to the
    // successors.
    auto Scan1 = [&](const CFGBlock &B, unsigned From) -> bool {
      const auto &Ev = Events[B.getBlockID()];
      for (unsigned I = From; I < Ev.size(); ++I) {
        const Event &E = Ev[I];
        if (E.K == EvUse && E.Idx == D.VarIdx)
          return false;
        if (E.K == EvDef && E.Idx == D.VarIdx) {
          // Back at a declaration: a loop made a new variable without
          // using this one. Elsewhere: an assignment replaced it.
          Kind = D.DeclKey && E.S == DefStmt ? ExRedeclared : ExOverwrite;
          At = E.S, AtBlock = int(B.getBlockID());
          return false;
        }
        if (E.K == EvCoreturn || E.K == EvMayThrow) {
          Kind = E.K == EvCoreturn ? ExCoreturn : ExMayThrow, At = E.S;
          AtBlock = int(B.getBlockID());
          return false;
        }
        // The call may throw into the handlers, or return and go on here.
        if (E.K == EvMayThrowInTry)
          Enqueue(B.getBlockID(), ById[E.Idx], E.S);
      }
      if (B.hasNoReturnElement())
        return false;
      const Stmt *Last = lastStmt(B);
      bool ToExit = false;
      for (const CFGBlock *S : B.succs())
        if (S == Exit)
          ToExit = true;
      // A try's dispatch block: its edge to the exit is an exception
      // that no handler catches, not a normal exit (unless exceptions
      // count); the handlers go on.
      if (isa_and_nonnull<CXXTryStmt>(B.getTerminatorStmt())) {
        if (ToExit && StrictExceptions) {
          const Stmt *From = Via[B.getBlockID()];
          if (!From && Parent[B.getBlockID()] >= 0)
            From = lastStmt(*ById[Parent[B.getBlockID()]]);
          Kind = isa_and_nonnull<CXXThrowExpr>(From) ? ExThrow : ExMayThrow, At = From;
          AtBlock = int(B.getBlockID());
          return false;
        }
        return true;
      }
      if (Last && isa<CXXThrowExpr>(Last)) {
        if (ToExit && StrictExceptions)
          Kind = ExThrow, At = Last, AtBlock = int(B.getBlockID());
        return !ToExit;
      }
      if (ToExit) {
        AtBlock = int(B.getBlockID());
        if (Last && isa<ReturnStmt>(Last))
          Kind = ExReturn, At = Last;
        else if (Last && isa<CoreturnStmt>(Last))
          Kind = ExCoreturn, At = Last;
        else
          Kind = ExEnd, At = nullptr;
        return false;
      }
      return true;
    };

    auto Push = [&](const CFGBlock &From) {
      for (const CFGBlock *S : From.succs())
        Enqueue(From.getBlockID(), S, nullptr);
    };
    const CFGBlock &StartB = *ById[Start];
    if (Scan1(StartB, DefPos[DefIdx].second + 1))
      Push(StartB);
    while (AtBlock < 0 && !Queue.empty()) {
      const CFGBlock &B = *ById[Queue.front()];
      Queue.pop_front();
      if (Scan1(B, 0))
        Push(B);
    }
    if (AtBlock < 0)
      continue;

    std::string Name = Spelling(D);
    diag(D.Loc, "the cancel function returned by '%0' is not used on all paths; call it (or "
                "'auto guard = ctx::defer(%1);') before returning")
        << D.Factory->getQualifiedNameAsString() << Name;
    SourceLocation ExitLoc =
        At ? At->getBeginLoc()
           : (isa<CompoundStmt>(Body) ? cast<CompoundStmt>(Body)->getRBracLoc()
                                      : Body->getEndLoc());
    static const char *const ExitText[] = {
        "this return statement may be reached without using '%0'",
        "this co_return statement may be reached without using '%0'",
        "the end of the function may be reached without using '%0'",
        "this throw may be reached without using '%0'",
        "this call may throw before '%0' is used",
        "'%0' may be overwritten here before it is used",
        "the loop may come back to this declaration without having used '%0'",
    };
    diag(ExitLoc, ExitText[Kind], DiagnosticIDs::Note) << Name;

    // The last branch on the way to the exit, as the static analyzer would
    // show it: it is usually the decision that skipped the use.
    auto NoteBranch = [&](const CFGBlock &PB, const CFGBlock *To) {
      unsigned Live = 0, Index = 0, Taken = 0;
      for (const CFGBlock *S : PB.succs()) {
        if (S) {
          ++Live;
          if (S == To)
            Taken = Index;
        }
        ++Index;
      }
      const Stmt *T = PB.getTerminatorStmt();
      if (Live < 2 || !T)
        return false;
      if (isa<SwitchStmt>(T)) {
        const auto *SC = dyn_cast_or_null<SwitchCase>(To ? To->getLabel() : nullptr);
        if (SC)
          diag(SC->getBeginLoc(), "taking this '%select{case|default}0'", DiagnosticIDs::Note)
              << isa<DefaultStmt>(SC);
        else
          diag(T->getBeginLoc(), "when no case of this switch matches", DiagnosticIDs::Note);
        return true;
      }
      if (const Stmt *Cond = PB.getTerminatorCondition()) {
        diag(Cond->getBeginLoc(), "assuming this condition is %select{true|false}0",
             DiagnosticIDs::Note)
            << (Taken != 0) << Cond->getSourceRange();
        return true;
      }
      return false;
    };
    const CFGBlock *Cur = ById[AtBlock];
    bool Noted = (Kind == ExReturn || Kind == ExEnd || Kind == ExCoreturn || Kind == ExThrow) &&
                 NoteBranch(*Cur, Exit);
    // A search that came back to its own block walks back through it once.
    bool Reentered = Seen.test(Start);
    for (unsigned Steps = 0;
         !Noted && Cur && (Cur->getBlockID() != Start || (Steps == 0 && Reentered)) &&
         Steps < N;
         ++Steps) {
      int Pred = Parent[Cur->getBlockID()];
      if (Pred < 0)
        break;
      Noted = NoteBranch(*ById[Pred], Cur);
      Cur = ById[Pred];
    }
  }
}

} // namespace ctx::tidy
