//===- LostCancelPaths.h - context-lost-cancel: the path search -----------===//
//
// The two halves of context-lost-cancel meet here. LostCancelCheck.cpp scans
// a body and says what is tracked (Def: where a cancel is obtained) and which
// expressions use it; LostCancelPaths.cpp searches the CFG from each
// definition for an exit reached without a use, and reports it.
//
//===----------------------------------------------------------------------===//
#ifndef CTX_CHECKS_LOSTCANCELPATHS_H
#define CTX_CHECKS_LOSTCANCELPATHS_H

#include "clang-tidy/ClangTidyCheck.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include <string>

namespace ctx::tidy::lostcancel {

/// What a tracked variable holds: the cancel itself, or the whole
/// (context, cancel) pair (`auto r = ctx::with_cancel(p)`).
enum class Mode { Cancel, Pair };

/// One place where a tracked variable obtains a factory's cancel.
struct Def {
  const clang::ValueDecl *Var;
  unsigned VarIdx;
  Mode M;
  const clang::Decl *DeclKey; // the declaration whose DeclStmt obtains it, or
  const clang::Stmt *StmtKey; // the assignment that obtains it
  clang::SourceLocation Loc;
  const clang::FunctionDecl *Factory;
};

/// How the variable of D is written in a message (`r.second` for a pair).
std::string spelling(const Def &D);

/// What the path search reads from the body scan.
struct PathInput {
  const clang::Decl *Fn;
  const clang::Stmt *Body;
  /// Every definition found (an assignment ends the path of the one before).
  llvm::ArrayRef<Def> Defs;
  /// The definitions whose paths are searched (pointers into Defs).
  llvm::ArrayRef<const Def *> PathDefs;
  /// References that use a tracked variable, with the variable's index.
  const llvm::DenseMap<const clang::DeclRefExpr *, unsigned> &Uses;
  /// Tracked variables by index (lambda and block captures are looked up).
  const llvm::DenseMap<const clang::ValueDecl *, unsigned> &VarIndex;
  /// Calls inside a try block of the body, with the innermost try.
  const llvm::DenseMap<const clang::Stmt *, const clang::CXXTryStmt *> &InTry;
  bool StrictExceptions;
};

/// Builds the CFG of In.Body and reports, through Check, each definition in
/// In.PathDefs from which an exit is reachable without a use: a warning at
/// the definition, a note at the exit and one at the last branch taken.
void reportLeakingPaths(clang::tidy::ClangTidyCheck &Check, const PathInput &In,
                        clang::ASTContext &Ctx);

} // namespace ctx::tidy::lostcancel

#endif // CTX_CHECKS_LOSTCANCELPATHS_H
