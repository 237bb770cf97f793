//===- LostCancelPaths.cpp - context-lost-cancel: the path search ---------===//
//
// Invariants (what the body scan hands over, see LostCancelPaths.h):
//  - every use and definition of a tracked variable that runs in the body is
//    a CFG element: a DeclRefExpr in In.Uses, a lambda or block whose
//    captures name the variable, the DeclStmt or assignment of a Def;
//  - a path ends at the first use or definition of its variable, at a
//    co_return, at a call that does not return, or at the exit block; with
//    StrictExceptions also at a throw or a call that may throw;
//  - the CFG is built once per body, each block's events are listed once,
//    and each definition's search visits a block at most once: the work is
//    linear in the size of the CFG per definition searched.
//
//===----------------------------------------------------------------------===//

#include "LostCancelPaths.h"
#include "clang/AST/ASTContext.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/BitVector.h"
#include <deque>

using namespace clang;

namespace ctx::tidy::lostcancel {

std::string spelling(const Def &D) {
  std::string Name = D.Var->getNameAsString();
  return D.M == Mode::Pair ? Name + ".second" : Name;
}

namespace {

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

void reportLeakingPaths(clang::tidy::ClangTidyCheck &Check, const PathInput &In,
                        ASTContext &Ctx) {
  const Decl *Fn = In.Fn;
  const Stmt *Body = In.Body;
  const bool StrictExceptions = In.StrictExceptions;
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
  for (unsigned I = 0; I < In.Defs.size(); ++I) {
    if (In.Defs[I].DeclKey)
      DefsByDecl[In.Defs[I].DeclKey].push_back(I);
    else
      DefsByStmt[In.Defs[I].StmtKey].push_back(I);
  }
  // Where each definition sits: (block, event index).
  std::vector<std::pair<int, unsigned>> DefPos(In.Defs.size(), {-1, 0});
  auto AddDefs = [&](const CFGBlock &B, const llvm::SmallVector<unsigned, 1> &Ds,
                     const Stmt *S) {
    for (unsigned D : Ds) {
      if (DefPos[D].first < 0)
        DefPos[D] = {int(B.getBlockID()), unsigned(Events[B.getBlockID()].size())};
      Events[B.getBlockID()].push_back({EvDef, In.Defs[D].VarIdx, S});
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
        auto It = In.Uses.find(DRE);
        if (It != In.Uses.end())
          Ev.push_back({EvUse, It->second, S});
      } else if (const auto *L = dyn_cast<LambdaExpr>(S)) {
        for (const LambdaCapture &C : L->captures())
          if (C.capturesVariable()) {
            auto It = In.VarIndex.find(C.getCapturedVar());
            if (It != In.VarIndex.end())
              Ev.push_back({EvUse, It->second, S});
          }
      } else if (const auto *BE = dyn_cast<BlockExpr>(S)) {
        for (const BlockDecl::Capture &C : BE->getBlockDecl()->captures()) {
          auto It = In.VarIndex.find(C.getVariable());
          if (It != In.VarIndex.end())
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
        auto T = In.InTry.find(S);
        if (T == In.InTry.end())
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
  for (const Def *DP : In.PathDefs) {
    const Def &D = *DP;
    unsigned DefIdx = unsigned(DP - In.Defs.data());
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

    std::string Name = spelling(D);
    Check.diag(D.Loc, "the cancel function returned by '%0' is not used on all paths; call it (or "
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
    Check.diag(ExitLoc, ExitText[Kind], DiagnosticIDs::Note) << Name;

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
          Check.diag(SC->getBeginLoc(), "taking this '%select{case|default}0'", DiagnosticIDs::Note)
              << isa<DefaultStmt>(SC);
        else
          Check.diag(T->getBeginLoc(), "when no case of this switch matches", DiagnosticIDs::Note);
        return true;
      }
      if (const Stmt *Cond = PB.getTerminatorCondition()) {
        Check.diag(Cond->getBeginLoc(), "assuming this condition is %select{true|false}0",
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

} // namespace ctx::tidy::lostcancel
