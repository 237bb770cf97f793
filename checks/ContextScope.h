//===- ContextScope.h - "A context in scope", and blocking calls -----------===//
//
// The contract's "a context in scope" (checks.md, second set): the innermost
// function, lambda, block or Objective-C method around the code has a
// parameter of a context type (by value, reference or pointer), or is a
// lambda that captures a context variable; a lambda or block nested where a
// context is in scope has one too. The shared walk (UserCodeWalk.h) keeps it
// as a stack of frames while it walks the user's code, so asking costs
// nothing per call: no walk up the ancestors, no second walk.
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
