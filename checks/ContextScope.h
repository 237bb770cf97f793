//===- ContextScope.h - "A context in scope", and blocking calls -----------===//
//
// The contract's "a context in scope" (checks.md, second set): the innermost
// function, lambda, block or Objective-C method around the code has a
// parameter of a context type (by value, reference or pointer), or is a
// lambda that captures a context variable; a lambda or block nested where a
// context is in scope has one too. ContextScopeVisitor keeps it as a stack
// of frames during the one walk a check makes of the user's code, so asking
// costs nothing per call: no walk up the ancestors, no second walk.
//
//===----------------------------------------------------------------------===//
#ifndef CTX_CHECKS_CONTEXTSCOPE_H
#define CTX_CHECKS_CONTEXTSCOPE_H

#include "CheckUtils.h"
#include "ContextTypes.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclObjC.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

namespace ctx::tidy {

/// One function, lambda, block or Objective-C method being walked, or a
/// class (whose member initializers are in no function).
struct ScopeFrame {
  /// The FunctionDecl (a lambda's call operator included), BlockDecl,
  /// ObjCMethodDecl or CXXRecordDecl.
  const clang::Decl *Callable = nullptr;
  /// The lambda, when Callable is its call operator.
  const clang::LambdaExpr *Lambda = nullptr;
  /// What puts a context in scope: a parameter or a captured variable of
  /// Callable, or (Inherited) of a function around it. Null: none.
  const clang::ValueDecl *Context = nullptr;
  bool Inherited = false;

  bool isLambda() const { return Lambda != nullptr; }
  const clang::FunctionDecl *function() const {
    return llvm::dyn_cast_or_null<clang::FunctionDecl>(Callable);
  }
};

/// The parameters of the frame's callable and (for a lambda) the variables
/// it captures, whose type is a context, a reference or a pointer to one:
/// the contexts that code in the frame can name.
llvm::SmallVector<const clang::ValueDecl *, 2> nameableContexts(const ScopeFrame &F,
                                                               const ContextTypeSet &Types);

/// Computes the frame of D (a FunctionDecl, BlockDecl or ObjCMethodDecl;
/// Lambda set for a lambda's call operator) entered from Outer.
ScopeFrame makeScopeFrame(const clang::Decl *D, const clang::LambdaExpr *Lambda,
                          const ScopeFrame *Outer, const ContextTypeSet &Types);

/// An AncestorTrackingVisitor that knows, at every node, whether a context is
/// in scope. Instantiations are not walked: the checks built on it report on
/// the template, once. Derived classes that override TraverseDecl or
/// TraverseLambdaExpr call these.
template <typename Derived>
class ContextScopeVisitor : public AncestorTrackingVisitor<Derived> {
  using Base = AncestorTrackingVisitor<Derived>;

public:
  ContextScopeVisitor(clang::ASTContext &Ctx, const ContextTypeSet &Types)
      : Base(Ctx), Types(Types) {}

  bool shouldVisitTemplateInstantiations() const { return false; }

  bool TraverseDecl(clang::Decl *D) {
    if (!D)
      return true;
    const clang::LambdaExpr *Lambda = nullptr;
    if (const auto *MD = llvm::dyn_cast<clang::CXXMethodDecl>(D);
        MD && !Lambdas.empty() && MD->getParent() == Lambdas.back()->getLambdaClass() &&
        clang::isLambdaCallOperator(MD))
      Lambda = Lambdas.back();
    if (llvm::isa<clang::FunctionDecl, clang::BlockDecl, clang::ObjCMethodDecl>(D) ||
        (llvm::isa<clang::CXXRecordDecl>(D) && !llvm::cast<clang::CXXRecordDecl>(D)->isLambda())) {
      Frames.push_back(makeScopeFrame(D, Lambda, Frames.empty() ? nullptr : &Frames.back(), Types));
      bool Result = Base::TraverseDecl(D);
      this->getDerived().leaveFrame(Frames.back());
      Frames.pop_back();
      return Result;
    }
    return Base::TraverseDecl(D);
  }
  // No queue parameter: the lambda's captures and body are walked before
  // this returns, so the stack covers exactly them.
  bool TraverseLambdaExpr(clang::LambdaExpr *LE) {
    Lambdas.push_back(LE);
    bool Result = Base::TraverseLambdaExpr(LE);
    Lambdas.pop_back();
    return Result;
  }

  /// Called as a frame ends (for checks that decide at the end of a
  /// function).
  void leaveFrame(const ScopeFrame &) {}

protected:
  /// The innermost frame, or null outside every function.
  const ScopeFrame *innermostFrame() const { return Frames.empty() ? nullptr : &Frames.back(); }
  /// The innermost frame if a context is in scope there, else null.
  const ScopeFrame *contextInScope() const {
    const ScopeFrame *F = innermostFrame();
    return F && F->Context ? F : nullptr;
  }
  /// How many frames are open: identifies the innermost one while it lasts.
  size_t frameDepth() const { return Frames.size(); }
  /// The innermost frame that is not a lambda or block: the named function
  /// (or Objective-C method, or class) the code is written in.
  const ScopeFrame *outermostCallable() const {
    for (const ScopeFrame &F : llvm::reverse(Frames))
      if (!F.isLambda() && !llvm::isa<clang::BlockDecl>(F.Callable))
        return &F;
    return nullptr;
  }

  const ContextTypeSet &Types;

private:
  llvm::SmallVector<ScopeFrame, 8> Frames;
  llvm::SmallVector<const clang::LambdaExpr *, 4> Lambdas;
};

/// The functions that block (option `BlockingFunctions`): names as
/// hasAnyName takes them; a member function also matches through the class
/// of the object it is called on (libstdc++ declares `std::future<T>::wait`
/// in a base class, and `::std::future::wait` must match it).
class BlockingFunctionList {
public:
  explicit BlockingFunctionList(llvm::StringRef OptionValue);
  bool matches(const clang::CallExpr *Call, clang::ASTContext &Ctx) const;
  void reset() const {
    Functions.reset();
    ClassVerdicts.clear();
  }

private:
  FunctionNameList Functions;
  /// Member name -> the classes listed with it.
  llvm::StringMap<std::vector<std::string>> ClassesByMember;
  mutable llvm::DenseMap<std::pair<const clang::Decl *, const clang::IdentifierInfo *>, bool>
      ClassVerdicts;
};

/// Default of `BlockingFunctions` (checks.md, context-unchecked-loop).
inline constexpr llvm::StringRef DefaultBlockingFunctions =
    "::std::this_thread::sleep_for;::std::this_thread::sleep_until;"
    "::std::condition_variable::wait;::std::condition_variable::wait_for;"
    "::std::condition_variable::wait_until;::std::future::wait;::std::future::get;"
    "::std::thread::join;::sleep;::usleep;::nanosleep;::read;::recv;::recvfrom;::accept";

} // namespace ctx::tidy

#endif // CTX_CHECKS_CONTEXTSCOPE_H
