//===- LostCancelCheck.cpp - context-lost-cancel --------------------------===//
//
// What a binding is and where it is used: the body scan. The path search
// over the CFG is in LostCancelPaths.cpp.
//
// Each function-like body (not its nested lambdas and blocks, which are
// bodies of their own) is walked at most twice:
//  1. to find the factory calls and classify each by what is done with its
//     result: a definition of a tracked local (binding, variable, std::tie
//     or assignment target), a discard, or "handed on" (passed, returned,
//     stored elsewhere: not ours to follow);
//  2. only if something is tracked, to record which references to the
//     tracked variables are uses, and which variables' addresses escape.
// Invariants: a tracked variable is a local of the body itself (never a
// parameter, a reference, or someone else's object); every reference to it
// other than the definitions themselves (and, for a held pair, taking its
// context) is a use; a lambda or block capturing it is a use where it is
// created. A definition never referenced is a discard; the others go to the
// path search unless in main.
//
//===----------------------------------------------------------------------===//

#include "LostCancelCheck.h"
#include "CheckUtils.h"
#include "LostCancelPaths.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclObjC.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace ctx::tidy::lostcancel;

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
  /// Where a variable's address escapes (a by-reference capture, `&v`, a
  /// reference bound to it): from there on, code we cannot see may use it
  /// at any time, so a cancel assigned to it after that point has an unseen
  /// use (a guard made before `std::tie(c, cancel) = ...`).
  llvm::DenseMap<const ValueDecl *, llvm::SmallVector<SourceLocation, 1>> Escapes;
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
            escape(C.getVariable(), B->getBeginLoc());
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
              escape(referencedDecl(VD->getInit()), L->getBeginLoc());
          } else if (C.getCaptureKind() == LCK_ByRef) {
            escape(C.getCapturedVar(), L->getBeginLoc());
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
              escape(referencedDecl(Init), Init->getBeginLoc());
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

  void escape(const ValueDecl *V, SourceLocation Loc) {
    if (V && VarIndex.count(V))
      Escapes[V].push_back(Loc);
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
      escape(It->first, DRE->getBeginLoc());
    if (const auto *C = dyn_cast_or_null<CallExpr>(U.P);
        C && C->getDirectCallee() && stdDecl(C->getDirectCallee(), "addressof"))
      escape(It->first, DRE->getBeginLoc());
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

} // namespace

LostCancelCheck::LostCancelCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
    : WalkingCheck(Name, Context), Types(Options),
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
class LostCancelCheck::Part : public WalkPart {
public:
  Part(LostCancelCheck &Check, const UserCodeWalk &Walk)
      : WalkPart(Walk, {OnFunctionDecl | OnLambdaExpr | OnBlockExpr | OnObjCMethodDecl |
                        OnFieldDecl | OnVarDecl}),
        Check(Check) {}

  void visitFunctionDecl(FunctionDecl *FD) override {
    if (FD->isThisDeclarationADefinition())
      analyse(FD, FD, FD->getBody(), nullptr);
  }
  void visitLambdaExpr(LambdaExpr *L) override {
    const CXXMethodDecl *Op = L->getCallOperator();
    analyse(L, Op, Op ? Op->getBody() : nullptr, nullptr);
  }
  void visitBlockExpr(BlockExpr *B) override {
    analyse(B, B->getBlockDecl(), B->getBody(), nullptr);
  }
  void visitObjCMethodDecl(ObjCMethodDecl *M) override {
    if (M->isThisDeclarationADefinition())
      analyse(M, M, M->getBody(), nullptr);
  }
  void visitFieldDecl(FieldDecl *F) override {
    if (const Expr *Init = F->getInClassInitializer())
      analyse(F, F, nullptr, Init);
  }
  void visitVarDecl(VarDecl *V) override {
    if (hasInitializerOutsideBody(*V)) {
      const auto *P = dyn_cast<ParmVarDecl>(V);
      analyse(V, V, nullptr, P ? P->getDefaultArg() : V->getInit());
    }
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

std::unique_ptr<WalkPart> LostCancelCheck::makePart(const UserCodeWalk &Walk) {
  return std::make_unique<Part>(*this, Walk);
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

/// Whether D's variable escaped before D assigns it: code the paths do not
/// show may then use the cancel (a guard's lambda taken before the cancel
/// was assigned). A declaration (a structured binding, `auto r = ...`) is
/// never preceded by an escape of its own variable, so it is always
/// path-checked. "Before" is source order, which is the order of execution
/// except around a loop's back edge.
static bool escapedBefore(const BodyScan &Scan, const Def &D, const SourceManager &SM) {
  if (D.DeclKey)
    return false;
  auto It = Scan.Escapes.find(D.Var);
  if (It == Scan.Escapes.end())
    return false;
  SourceLocation DefLoc = SM.getExpansionLoc(D.StmtKey->getBeginLoc());
  return llvm::any_of(It->second, [&](SourceLocation L) {
    return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(L), DefLoc);
  });
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

  // A variable never referenced at all (apart from being assigned) is a
  // discard whatever the paths; the path rule covers the rest.
  const auto *FD = dyn_cast<FunctionDecl>(Fn);
  bool IsMain = FD && FD->isMain();
  llvm::SmallVector<const Def *, 4> PathDefs;
  for (const Def &D : Scan.Defs) {
    if (Scan.UseCount[D.VarIdx] == 0)
      reportDiscard(D.Loc, D.Factory);
    else if (!IsMain && !escapedBefore(Scan, D, Ctx.getSourceManager()))
      PathDefs.push_back(&D);
  }
  if (PathDefs.empty())
    return;

  reportLeakingPaths(*this,
                     {Fn, Body, Scan.Defs, PathDefs, Scan.Uses, Scan.VarIndex, Scan.InTry,
                      StrictExceptions},
                     Ctx);
}

} // namespace ctx::tidy
