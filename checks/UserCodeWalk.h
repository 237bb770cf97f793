//===- UserCodeWalk.h - The one walk of the user's code ------------------===//
//
// Every context-* check looks at the user's code through one walk of the
// translation unit, shared by all the checks enabled in the run. A walk of
// the user's code costs about as much as one cheap check's own work, so with
// eleven checks a walk each was most of what the module added to a run; now
// the walk is made once and each node is handed to the checks that asked
// for its kind.
//
// Invariants:
// - One walk per translation unit: the first enabled check whose matcher
//   fires walks for all the checks registered with the same MatchFinder
//   (clang-tidy and clangd make one MatchFinder, and new checks, per
//   translation unit); the others' matchers find the walk done.
// - A check sees exactly what a walk of its own would show it: the user's code
//   (declarations expanded in system headers are skipped with what they
//   hold), implicit code, template instantiations only if it asks for them
//   (otherwise nothing inside an instantiation reaches it: not its nodes, not
//   its loops, not its frames), and nothing if the code failed to compile
//   unless it says it runs on broken code.
// - The walk keeps the state that checks ask about at every node, once for
//   all: the chain of ancestors, whether the node is in an unevaluated
//   operand, and "a context in scope" (ContextScope.h) for each distinct
//   ContextTypes option among the checks that ask.
//
//===----------------------------------------------------------------------===//
#ifndef CTX_CHECKS_USERCODEWALK_H
#define CTX_CHECKS_USERCODEWALK_H

#include "CheckUtils.h"
#include "ContextScope.h"
#include "ContextTypes.h"
#include "clang-tidy/ClangTidyCheck.h"
#include <memory>
#include <vector>

namespace ctx::tidy {

class UserCodeWalk;

/// A check's share of the walk of one translation unit: the hooks it is
/// called on, and what it may ask about the node being visited. Made by the
/// check (WalkingCheck::makePart) for each translation unit.
class WalkPart {
public:
  /// The hooks a part is called on; everything else passes it by.
  enum Hook : unsigned {
    OnCallExpr = 1u << 0,
    OnCXXConstructExpr = 1u << 1,
    OnExpr = 1u << 2,
    OnLambdaExpr = 1u << 3,
    OnBlockExpr = 1u << 4,
    OnBinaryOperator = 1u << 5,
    OnCXXOperatorCallExpr = 1u << 6,
    OnFunctionDecl = 1u << 7,
    OnObjCMethodDecl = 1u << 8,
    OnFieldDecl = 1u << 9,
    OnVarDecl = 1u << 10,
    /// enterDecl / leaveDecl around every declaration walked.
    OnEveryDecl = 1u << 11,
    /// enterLoop / leaveLoop around every for, while, do and range-for.
    OnLoops = 1u << 12,
    /// leaveFrame as each function, lambda, block, method or class ends.
    OnFrames = 1u << 13,
  };
  static constexpr unsigned NumHooks = 14;

  struct Config {
    unsigned Hooks = 0;
    /// Whether the part also sees template instantiations. Without, it
    /// reports on each template once, from its pattern.
    bool Instantiations = false;
    /// The context types that decide "a context in scope" for the part
    /// (innermostFrame() and the others below); null if it never asks.
    const ContextTypeSet *ScopeTypes = nullptr;
  };

  WalkPart(const UserCodeWalk &Walk, Config C);
  virtual ~WalkPart();

  // Visit hooks, called as RecursiveASTVisitor's Visit* methods are: a node
  // of a derived class gets the general hook first (visitExpr before
  // visitCallExpr), and children come after their parent.
  virtual void visitCallExpr(clang::CallExpr *) {}
  virtual void visitCXXConstructExpr(clang::CXXConstructExpr *) {}
  virtual void visitExpr(clang::Expr *) {}
  virtual void visitLambdaExpr(clang::LambdaExpr *) {}
  virtual void visitBlockExpr(clang::BlockExpr *) {}
  virtual void visitBinaryOperator(clang::BinaryOperator *) {}
  virtual void visitCXXOperatorCallExpr(clang::CXXOperatorCallExpr *) {}
  virtual void visitFunctionDecl(clang::FunctionDecl *) {}
  virtual void visitObjCMethodDecl(clang::ObjCMethodDecl *) {}
  virtual void visitFieldDecl(clang::FieldDecl *) {}
  virtual void visitVarDecl(clang::VarDecl *) {}
  // Traversal hooks: around a subtree.
  virtual void enterDecl(clang::Decl *) {}
  virtual void leaveDecl(clang::Decl *) {}
  virtual void enterLoop(clang::Stmt *) {}
  virtual void leaveLoop(clang::Stmt *) {}
  /// The frame is still the innermost one (frameDepth() counts it).
  virtual void leaveFrame(const ScopeFrame &) {}

  const Config &config() const { return Conf; }

protected:
  /// The chain from the translation unit down to the node being visited
  /// (the last element), as AncestorTrackingVisitor keeps it.
  llvm::ArrayRef<clang::DynTypedNode> ancestors() const;
  /// Whether the node is in an unevaluated operand (UserCodeVisitor).
  bool inUnevaluatedOperand() const;
  bool inSystemHeader(clang::SourceLocation Loc) const {
    return expandedInSystemHeader(Loc, SM);
  }
  // "A context in scope", by the part's ScopeTypes (ContextScope.h).
  /// The innermost frame, or null outside every function.
  const ScopeFrame *innermostFrame() const;
  /// The innermost frame if a context is in scope there, else null.
  const ScopeFrame *contextInScope() const {
    const ScopeFrame *F = innermostFrame();
    return F && F->Context ? F : nullptr;
  }
  /// How many frames are open: identifies the innermost one while it lasts.
  size_t frameDepth() const;
  /// The innermost frame that is not a lambda or block: the named function
  /// (or Objective-C method, or class) the code is written in.
  const ScopeFrame *outermostCallable() const;

  clang::ASTContext &Ctx;
  const clang::SourceManager &SM;

private:
  friend class UserCodeWalk;
  const UserCodeWalk &Walk;
  Config Conf;
  unsigned ScopeIndex = 0; // which of the walk's frame stacks is this part's
};

class WalkingCheck;

/// The walk shared by the checks registered with one MatchFinder.
class UserCodeWalk {
public:
  /// The walk of the checks registered with Finder; the first check to join
  /// creates it. It lives as long as one of them holds it.
  static std::shared_ptr<UserCodeWalk> join(const void *Finder, WalkingCheck &Check);
  void leave(WalkingCheck &Check);

  /// Walks Ctx's translation unit for every joined check, once: the calls
  /// after the first for the same translation unit return at once.
  void run(clang::ASTContext &Ctx);
  /// Forgets the translation unit walked.
  void endTranslationUnit() { Walked = nullptr; }

  clang::ASTContext &astContext() const { return *Current; }

  class Walker; // the RecursiveASTVisitor, in UserCodeWalk.cpp

private:
  friend class WalkPart;
  std::vector<WalkingCheck *> Checks;
  const clang::ASTContext *Walked = nullptr;
  clang::ASTContext *Current = nullptr; // set while parts are made and walk
  Walker *Active = nullptr;             // set during the walk
};

/// A context-* check: one translationUnitDecl() matcher whose callback runs
/// the shared walk, and a part of that walk per translation unit.
class WalkingCheck : public clang::tidy::ClangTidyCheck {
public:
  using ClangTidyCheck::ClangTidyCheck;
  ~WalkingCheck() override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) final;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) final;
  void onEndOfTranslationUnit() override;

  /// Whether the check looks at code that failed to compile (most do not:
  /// on broken code the AST is a guess, and the compile errors come first).
  virtual bool runsOnCompileErrors() const { return false; }
  /// This check's part of the walk of one translation unit.
  virtual std::unique_ptr<WalkPart> makePart(const UserCodeWalk &Walk) = 0;

protected:
  /// Whether the options leave the check anything to look for; if not, it
  /// does not join the walk.
  virtual bool walks() const { return true; }

private:
  std::shared_ptr<UserCodeWalk> Walk;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_USERCODEWALK_H
