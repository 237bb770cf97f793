//===- CheckUtils.cpp -----------------------------------------------------===//

#include "CheckUtils.h"
#include "ContextTypes.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ParentMapContext.h"

using namespace clang;

namespace ctx::tidy {

static bool isInstantiationKind(TemplateSpecializationKind K) {
  return K == TSK_ImplicitInstantiation || K == TSK_ExplicitInstantiationDeclaration ||
         K == TSK_ExplicitInstantiationDefinition;
}

bool isInInstantiation(const Decl *D) {
  if (!D)
    return false;
  // A variable template's specialization, or a static data member of an
  // instantiated class, is not a DeclContext: ask it first.
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    TemplateSpecializationKind K = VD->getTemplateSpecializationKind();
    if (K == TSK_ExplicitSpecialization)
      return false;
    if (isInstantiationKind(K))
      return true;
  }
  for (const DeclContext *DC = isa<DeclContext>(D) ? cast<DeclContext>(D) : D->getDeclContext();
       DC; DC = DC->getParent()) {
    TemplateSpecializationKind K = TSK_Undeclared;
    if (const auto *FD = dyn_cast<FunctionDecl>(DC))
      K = FD->getTemplateSpecializationKind();
    else if (const auto *RD = dyn_cast<CXXRecordDecl>(DC))
      K = RD->getTemplateSpecializationKind();
    // An explicit specialization is code the user wrote, even as a member
    // of an implicitly instantiated class (`template <> void W<int>::run()`).
    if (K == TSK_ExplicitSpecialization)
      return false;
    if (isInstantiationKind(K))
      return true;
  }
  return false;
}

const FunctionDecl *enclosingFunction(const Expr *E, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(*E);
  // Walk up the first parent chain; an expression inside a template has one
  // parent per tree, and the first is the one we came from.
  while (!Parents.empty()) {
    const DynTypedNode &P = Parents[0];
    if (const auto *FD = P.get<FunctionDecl>())
      return FD;
    if (const auto *LE = P.get<LambdaExpr>())
      return LE->getCallOperator();
    // Stop at declarations that are not functions: a variable, field or
    // record is not "the caller".
    if (const auto *D = P.get<Decl>()) {
      if (!isa<VarDecl>(D) || isa<ParmVarDecl>(D))
        return nullptr;
      // A local variable's initializer: keep walking to its function.
      if (!cast<VarDecl>(D)->isLocalVarDeclOrParm())
        return nullptr;
    }
    Parents = Ctx.getParents(P);
  }
  return nullptr;
}

static bool isPlainQualifiedName(llvm::StringRef S) {
  for (char C : S)
    if (!(isalnum(static_cast<unsigned char>(C)) || C == '_' || C == ':'))
      return false;
  return !S.empty();
}

NameOrRegexList::NameOrRegexList(llvm::StringRef Value) {
  for (const std::string &Item : parseList(Value)) {
    llvm::StringRef S(Item);
    if (isPlainQualifiedName(S)) {
      S.consume_front("::");
      Names.push_back(S.str());
      continue;
    }
    // Anchored: a regex names whole qualified names, as a plain name does.
    llvm::Regex Re("^(" + Item + ")$");
    std::string Error;
    if (!Re.isValid(Error)) {
      Invalid.emplace_back(Item, Error);
      continue;
    }
    Regexes.push_back(std::move(Re));
  }
}

bool NameOrRegexList::matches(llvm::StringRef QualifiedName) const {
  QualifiedName.consume_front("::");
  for (const std::string &N : Names)
    if (N == QualifiedName)
      return true;
  for (const llvm::Regex &Re : Regexes)
    if (Re.match(QualifiedName))
      return true;
  return false;
}

} // namespace ctx::tidy
