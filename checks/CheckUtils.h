//===- CheckUtils.h - Small helpers shared by the context-* checks --------===//
#ifndef CTX_CHECKS_CHECKUTILS_H
#define CTX_CHECKS_CHECKUTILS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTTypeTraits.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Regex.h"
#include <string>
#include <utility>
#include <vector>

namespace ctx::tidy {

/// As the matcher isExpansionInSystemHeader: whether Loc is expanded in a
/// system header.
inline bool expandedInSystemHeader(clang::SourceLocation Loc,
                                   const clang::SourceManager &SM) {
  clang::SourceLocation E = SM.getExpansionLoc(Loc);
  return E.isValid() && SM.isInSystemHeader(E);
}

/// Whether S is an operator none of whose operands is evaluated (sizeof,
/// alignof, noexcept, an unevaluated typeid, requires-expressions and
/// concept checks): nothing in them runs. Inline: every walk asks it of
/// every statement.
inline bool isUnevaluatedOperator(const clang::Stmt *S) {
  switch (S->getStmtClass()) {
  case clang::Stmt::UnaryExprOrTypeTraitExprClass:
  case clang::Stmt::CXXNoexceptExprClass:
  case clang::Stmt::RequiresExprClass:
  case clang::Stmt::ConceptSpecializationExprClass:
    return true;
  case clang::Stmt::CXXTypeidExprClass:
    return !llvm::cast<clang::CXXTypeidExpr>(S)->isPotentiallyEvaluated();
  default:
    return false;
  }
}

/// How the user's code is walked: the base of the one walk all the checks
/// share (UserCodeWalk.h), which runs from their translationUnitDecl() matcher.
///
/// Why not a matcher per node kind: MatchFinder runs each matcher on every
/// node of its kind in the translation unit, the standard library's
/// included, and in a TU that includes most of the standard library that
/// dispatch, not the checks' own work, was most of what they cost. This
/// walk skips each declaration whose location is expanded in a system
/// header, with everything in it, so it visits the user's code only.
///
/// Like MatchFinder's traversal it visits implicit code and (unless Derived
/// says otherwise) template instantiations, and honours the traversal scope
/// (clangd limits it to the main file's top-level declarations). Checks
/// still test each node they report on with isExpansionInSystemHeader, as
/// their matchers did. Default arguments and default member initializers
/// are visited where they are written (the parameter, the field), not again
/// at each call or constructor that uses them: a second visit there would
/// see the same nodes in another function's scope.
template <typename Derived>
class UserCodeVisitor : public clang::RecursiveASTVisitor<Derived> {
  using Base = clang::RecursiveASTVisitor<Derived>;

public:
  explicit UserCodeVisitor(clang::ASTContext &Ctx) : Ctx(Ctx), SM(Ctx.getSourceManager()) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  bool TraverseDecl(clang::Decl *D) {
    if (D && expandedInSystemHeader(D->getLocation(), SM))
      return true;
    // A function's body runs even when the function is written in an
    // unevaluated operand (a lambda in decltype can be called later).
    if (llvm::isa_and_nonnull<clang::FunctionDecl, clang::BlockDecl>(D)) {
      unsigned Outer = std::exchange(Unevaluated, 0);
      bool Result = Base::TraverseDecl(D);
      Unevaluated = Outer;
      return Result;
    }
    if (llvm::isa_and_nonnull<clang::StaticAssertDecl>(D))
      return unevaluated([&] { return Base::TraverseDecl(D); });
    return Base::TraverseDecl(D);
  }
  bool TraverseStmt(clang::Stmt *S, typename Base::DataRecursionQueue *Queue = nullptr) {
    // Without the queue, the operand is walked before this returns, so the
    // count covers exactly that walk.
    if (S && isUnevaluatedOperator(S))
      return unevaluated([&] { return Base::TraverseStmt(S); });
    return Base::TraverseStmt(S, Queue);
  }
  // Of `_Generic` (C, and a clang extension in C++) only the controlling
  // operand is unevaluated; the selected association runs. Walked here as
  // RecursiveASTVisitor would, with the count around that operand only.
  bool TraverseGenericSelectionExpr(clang::GenericSelectionExpr *E) {
    if (!this->getDerived().WalkUpFromGenericSelectionExpr(E))
      return false;
    if (E->isExprPredicate()) {
      if (!unevaluated([&] { return this->getDerived().TraverseStmt(E->getControllingExpr()); }))
        return false;
    } else if (!this->getDerived().TraverseTypeLoc(E->getControllingType()->getTypeLoc())) {
      return false;
    }
    for (const clang::GenericSelectionExpr::Association A : E->associations()) {
      if (clang::TypeSourceInfo *TSI = A.getTypeSourceInfo())
        if (!this->getDerived().TraverseTypeLoc(TSI->getTypeLoc()))
          return false;
      if (!this->getDerived().TraverseStmt(A.getAssociationExpr()))
        return false;
    }
    return true;
  }
  // LLVM 22 added a parameter (whether to walk the qualifier); forward
  // whatever the version passes.
  template <typename... Rest> bool TraverseTypeLoc(clang::TypeLoc TL, Rest... More) {
    if (TL && (TL.getTypeLocClass() == clang::TypeLoc::Decltype ||
               TL.getTypeLocClass() == clang::TypeLoc::TypeOfExpr))
      return unevaluated([&] { return Base::TraverseTypeLoc(TL, More...); });
    return Base::TraverseTypeLoc(TL, More...);
  }
  bool TraverseCXXDefaultArgExpr(clang::CXXDefaultArgExpr *,
                                 typename Base::DataRecursionQueue * = nullptr) {
    return true;
  }
  bool TraverseCXXDefaultInitExpr(clang::CXXDefaultInitExpr *,
                                  typename Base::DataRecursionQueue * = nullptr) {
    return true;
  }

  /// Walks the translation unit (or the traversal scope).
  void traverseTranslationUnit() { this->getDerived().TraverseAST(Ctx); }

protected:
  bool inSystemHeader(clang::SourceLocation Loc) const {
    return expandedInSystemHeader(Loc, SM);
  }
  /// Whether the node being visited is in an unevaluated operand (of an
  /// isUnevaluatedOperator, decltype, typeof or a static_assert), where
  /// nothing runs, and not in the body of a function written there.
  bool inUnevaluatedOperand() const { return Unevaluated != 0; }

  clang::ASTContext &Ctx;
  const clang::SourceManager &SM;

private:
  template <typename Fn> bool unevaluated(Fn Traverse) {
    ++Unevaluated;
    bool Result = Traverse();
    --Unevaluated;
    return Result;
  }

  unsigned Unevaluated = 0; // unevaluated operands around the node visited
};

/// A UserCodeVisitor that keeps the chain of nodes (declarations,
/// statements, type locations) from the translation unit down to the node
/// being visited: what ASTContext::getParents would give, without building
/// the parent map of the whole translation unit. When a Visit method runs,
/// ancestors().back() is the node visited. Statements enter and leave the
/// chain through RecursiveASTVisitor's hooks around each statement and its
/// children, which keeps its queue (deep expressions stay off the call
/// stack).
template <typename Derived>
class AncestorTrackingVisitor : public UserCodeVisitor<Derived> {
  using Base = UserCodeVisitor<Derived>;

public:
  using Base::Base;

  bool TraverseDecl(clang::Decl *D) {
    if (!D)
      return true;
    Chain.push_back(clang::DynTypedNode::create(*D));
    bool Result = Base::TraverseDecl(D);
    Chain.pop_back();
    return Result;
  }
  bool dataTraverseStmtPre(clang::Stmt *S) {
    Chain.push_back(clang::DynTypedNode::create(*S));
    return true;
  }
  bool dataTraverseStmtPost(clang::Stmt *) {
    Chain.pop_back();
    return true;
  }
  // LLVM 22 added a parameter (whether to walk the qualifier); forward
  // whatever the version passes.
  template <typename... Rest> bool TraverseTypeLoc(clang::TypeLoc TL, Rest... More) {
    if (!TL)
      return true;
    Chain.push_back(clang::DynTypedNode::create(TL));
    bool Result = Base::TraverseTypeLoc(TL, More...);
    Chain.pop_back();
    return Result;
  }

  /// Outermost first; the last element is the node being visited.
  llvm::ArrayRef<clang::DynTypedNode> ancestors() const { return Chain; }

private:
  llvm::SmallVector<clang::DynTypedNode, 64> Chain;
};

/// Function names as a check's option lists them, matched as the matcher
/// hasAnyName matches them (a name without a leading "::" may sit in any
/// scope). The unqualified name is compared first, which rejects almost
/// every call; hasAnyName itself decides the rest, once per declaration.
class FunctionNameList {
public:
  explicit FunctionNameList(llvm::StringRef OptionValue);
  bool empty() const { return Names.empty(); }
  bool matches(const clang::FunctionDecl *FD, clang::ASTContext &Ctx) const;
  /// Forgets the verdicts of the previous translation unit.
  void reset() const { Verdicts.clear(); }

private:
  std::vector<std::string> Names;
  /// The last component of each name. Unusable when one is not an
  /// identifier (`operator()`): then every function goes to hasAnyName.
  llvm::StringSet<> ShortNames;
  bool ShortcutUsable = true;
  mutable llvm::DenseMap<const clang::Decl *, bool> Verdicts;
};

/// Whether D is, or is nested in, an implicit or explicit template
/// instantiation. Checks that report on the template skip these: the
/// template's own pattern has already been seen. An explicit specialization
/// (and what is nested in it) is the user's own code, not an instantiation.
bool isInInstantiation(const clang::Decl *D);

/// Whether the translation unit failed to compile. The checks then report
/// nothing: on broken code the AST is a guess (recovery expressions, bodies
/// cut short by a missing brace), and the compile errors come first.
inline bool hasCompileErrors(const clang::ASTContext &Ctx) {
  return Ctx.getDiagnostics().hasUncompilableErrorOccurred();
}

/// Whether a parameter of type ParamType (parameter Index of Callee, which
/// may be null for a call through a pointer) takes only rvalues: an rvalue
/// reference that is not a forwarding reference. An lvalue put in place of
/// its argument would not compile.
bool isRValueOnlyParameter(const clang::FunctionDecl *Callee, unsigned Index,
                           clang::QualType ParamType);

/// The helpers below take E's ancestors as AncestorTrackingVisitor keeps
/// them (outermost first, E's parent last) and walk them up as they would
/// walk ASTContext::getParents.

/// The innermost callable around the ancestors, as the matcher forCallable
/// finds it: a function, a lambda's call operator (but a lambda's capture
/// initializers run in the function around it); null if that is a block,
/// an Objective-C method, or there is none.
const clang::FunctionDecl *enclosingCallable(llvm::ArrayRef<clang::DynTypedNode> Ancestors);

/// The type that the value of E initialises where it is used (a call's
/// parameter, a variable), looking through implicit nodes; null if unknown.
/// Callee and Index are set for a parameter.
clang::QualType destinationType(const clang::Expr *E,
                                llvm::ArrayRef<clang::DynTypedNode> Ancestors,
                                const clang::FunctionDecl *&Callee, unsigned &Index);

/// Whether the ancestors put E in a parameter's default argument, and not
/// in a lambda written inside it.
bool isInDefaultArgument(llvm::ArrayRef<clang::DynTypedNode> Ancestors);

/// How an expression written inside a macro body (R's ends are macro
/// locations that no file range covers) reads in the source: the macro's
/// name when it is exactly one macro's expansion (`NULL` in another macro's
/// body), else its tokens where they are spelled, else the name of the
/// outermost macro.
std::string spelledInMacroBody(clang::SourceRange R, const clang::SourceManager &SM,
                               const clang::LangOptions &LO);

/// Whether Pred holds for RD or for one of its base classes, at any depth
/// (only public derivations when PublicOnly). Pred gets the class and its
/// type as named in the base-specifier (null for RD itself). Bases that are
/// dependent or not defined are not looked into. The one walk behind "a
/// class derived from a listed class" in every option and in ContextTypes.
bool classOrBaseMatches(const clang::CXXRecordDecl *RD, bool PublicOnly,
                        llvm::function_ref<bool(const clang::CXXRecordDecl *,
                                                clang::QualType)> Pred);

/// D's qualified name as a user writes it in an option, without the
/// leading "::": namespaces and classes as usual, and a function around a
/// local declaration by its name alone (`ns::function::Local`, where
/// getQualifiedNameAsString says `ns::function()::Local`). Lambdas, blocks,
/// inline namespaces and `extern "C"` add nothing; an anonymous namespace
/// is `(anonymous namespace)`, as clang prints it.
std::string scopedName(const clang::NamedDecl *D);


/// A list of qualified names or regular expressions, as option
/// `AllowedClasses` takes them: an item made only of identifier characters
/// and "::" is compared as a qualified name (a leading "::" is optional),
/// anything else is a regular expression matched against the whole
/// qualified name.
class NameOrRegexList {
public:
  explicit NameOrRegexList(llvm::StringRef Value);
  bool matches(llvm::StringRef QualifiedName) const;
  /// The items that are not valid regular expressions, with the error.
  const std::vector<std::pair<std::string, std::string>> &invalid() const { return Invalid; }

private:
  std::vector<std::string> Names;
  std::vector<llvm::Regex> Regexes;
  std::vector<std::pair<std::string, std::string>> Invalid;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_CHECKUTILS_H
