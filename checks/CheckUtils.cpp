//===- CheckUtils.cpp -----------------------------------------------------===//

#include "CheckUtils.h"
#include "ContextTypes.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclObjC.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/AST/StmtCXX.h"
#include "clang/AST/TypeLoc.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

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

/// Whether Child (a node under LE) is one of LE's capture initializers
/// (`[c = make()]`, or the copy an implicit capture makes), which run
/// where the lambda is created, not in its body.
static bool isCaptureInit(const LambdaExpr *LE, const DynTypedNode &Child) {
  if (const auto *V = Child.get<VarDecl>())
    return V->isInitCapture();
  if (const auto *E = Child.get<Expr>())
    return llvm::is_contained(LE->capture_inits(), E);
  return false;
}

const FunctionDecl *enclosingCallable(llvm::ArrayRef<DynTypedNode> Ancestors) {
  const DynTypedNode *Child = nullptr;
  for (const DynTypedNode &P : llvm::reverse(Ancestors)) {
    if (const auto *FD = P.get<FunctionDecl>())
      return FD;
    if (const auto *LE = P.get<LambdaExpr>(); LE && !(Child && isCaptureInit(LE, *Child)))
      return LE->getCallOperator();
    if (P.get<BlockDecl>() || P.get<ObjCMethodDecl>())
      return nullptr;
    Child = &P;
  }
  return nullptr;
}

bool isRValueOnlyParameter(const FunctionDecl *Callee, unsigned Index, QualType ParamType) {
  if (ParamType.isNull() || !ParamType->isRValueReferenceType())
    return false;
  // `T &&` with T deduced binds lvalues too: look at the template's own
  // parameter.
  const FunctionDecl *Pattern = Callee ? Callee->getTemplateInstantiationPattern() : nullptr;
  if (Pattern && Index < Pattern->getNumParams()) {
    QualType P = Pattern->getParamDecl(Index)->getType();
    if (const auto *RT = P->getAs<RValueReferenceType>())
      if (!RT->getPointeeType().hasQualifiers() &&
          RT->getPointeeType()->getAs<TemplateTypeParmType>())
        return false;
  }
  return true;
}

/// Nodes between a value and its use that add nothing the user wrote.
static bool isImplicitWrapper(const Stmt *S) {
  return isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr, ParenExpr,
             FullExpr>(S);
}

QualType destinationType(const Expr *E, llvm::ArrayRef<DynTypedNode> Ancestors,
                         const FunctionDecl *&Callee, unsigned &Index) {
  Callee = nullptr;
  Index = 0;
  const Stmt *Child = E;
  unsigned Depth = 0;
  for (const DynTypedNode &P : llvm::reverse(Ancestors)) {
    if (Depth++ >= 16)
      break;
    if (const auto *S = P.get<Stmt>(); S && isImplicitWrapper(S)) {
      Child = S;
      continue;
    }
    if (const auto *VD = P.get<VarDecl>())
      return VD->getInit() == Child ? VD->getType() : QualType();
    auto FromArgs = [&](auto Args, const FunctionDecl *F, const FunctionProtoType *Proto,
                        unsigned Skip) -> QualType {
      unsigned I = 0;
      for (const Expr *A : Args) {
        if (A == Child) {
          if (I < Skip)
            return QualType();
          Index = I - Skip;
          Callee = F;
          if (F && Index < F->getNumParams())
            return F->getParamDecl(Index)->getType();
          if (Proto && Index < Proto->getNumParams())
            return Proto->getParamType(Index);
          return QualType();
        }
        ++I;
      }
      return QualType();
    };
    if (const auto *C = P.get<CallExpr>()) {
      const FunctionDecl *F = C->getDirectCallee();
      unsigned Skip = 0;
      if (const auto *M = dyn_cast_or_null<CXXMethodDecl>(F);
          M && isa<CXXOperatorCallExpr>(C) && M->isInstance())
        Skip = 1;
      const FunctionProtoType *Proto = nullptr;
      if (!F) {
        QualType T = C->getCallee()->getType();
        if (const auto *PT = T->getAs<PointerType>())
          T = PT->getPointeeType();
        Proto = T->getAs<FunctionProtoType>();
      }
      return FromArgs(C->arguments(), F, Proto, Skip);
    }
    if (const auto *C = P.get<CXXConstructExpr>())
      return FromArgs(C->arguments(), C->getConstructor(), nullptr, 0);
    return QualType();
  }
  return QualType();
}

bool isInDefaultArgument(llvm::ArrayRef<DynTypedNode> Ancestors) {
  unsigned Depth = 0;
  for (const DynTypedNode &P : llvm::reverse(Ancestors)) {
    if (Depth++ >= 512)
      break;
    if (P.get<LambdaExpr>() || P.get<BlockExpr>())
      return false;
    if (const auto *D = P.get<Decl>()) {
      if (isa<ParmVarDecl>(D))
        return true;
      if (!isa<VarDecl>(D))
        return false;
    }
  }
  return false;
}

std::string spelledInMacroBody(SourceRange R, const SourceManager &SM, const LangOptions &LO) {
  SourceLocation B = R.getBegin(), E = R.getEnd();
  SourceLocation MacroBegin, MacroEnd;
  unsigned EndLen = E.isMacroID() ? Lexer::MeasureTokenLength(SM.getSpellingLoc(E), SM, LO) : 0;
  if (B.isMacroID() && EndLen && SM.isAtStartOfImmediateMacroExpansion(B, &MacroBegin) &&
      SM.isAtEndOfImmediateMacroExpansion(E.getLocWithOffset(EndLen), &MacroEnd) &&
      SM.getImmediateExpansionRange(B).getBegin() == SM.getImmediateExpansionRange(E).getBegin())
    return Lexer::getImmediateMacroName(B, SM, LO).str();
  SourceLocation SB = SM.getSpellingLoc(B), SE = SM.getSpellingLoc(E);
  if (SB.isValid() && SE.isValid() && SM.getFileID(SB) == SM.getFileID(SE) &&
      !SM.isBeforeInTranslationUnit(SE, SB)) {
    llvm::StringRef Text = Lexer::getSourceText(CharSourceRange::getTokenRange(SB, SE), SM, LO);
    if (!Text.empty())
      return Text.str();
  }
  std::string Name;
  for (SourceLocation L = B; L.isMacroID(); L = SM.getImmediateMacroCallerLoc(L))
    Name = Lexer::getImmediateMacroName(L, SM, LO).str();
  return Name;
}

static bool isPlainQualifiedName(llvm::StringRef S) {
  for (char C : S)
    if (!(isalnum(static_cast<unsigned char>(C)) || C == '_' || C == ':'))
      return false;
  return !S.empty();
}

static bool basesMatch(const CXXRecordDecl *RD, bool PublicOnly,
                       llvm::function_ref<bool(const CXXRecordDecl *, QualType)> Pred,
                       unsigned Depth) {
  RD = RD ? RD->getDefinition() : nullptr;
  // Deep enough for any real hierarchy; guards against pathological input.
  if (!RD || Depth > 32)
    return false;
  for (const CXXBaseSpecifier &B : RD->bases()) {
    if (PublicOnly && B.getAccessSpecifier() != AS_public)
      continue;
    QualType T = B.getType();
    if (T.isNull() || T->isDependentType())
      continue;
    const CXXRecordDecl *Base = T->getAsCXXRecordDecl();
    if (!Base)
      continue;
    if (Pred(Base, T) || basesMatch(Base, PublicOnly, Pred, Depth + 1))
      return true;
  }
  return false;
}

bool classOrBaseMatches(const CXXRecordDecl *RD, bool PublicOnly,
                        llvm::function_ref<bool(const CXXRecordDecl *, QualType)> Pred) {
  if (!RD)
    return false;
  return Pred(RD, QualType()) || basesMatch(RD, PublicOnly, Pred, 0);
}

std::string scopedName(const NamedDecl *D) {
  llvm::SmallVector<std::string, 4> Parts;
  auto NameOf = [](const NamedDecl *N) {
    std::string S;
    llvm::raw_string_ostream OS(S);
    N->printName(OS);
    return S;
  };
  Parts.push_back(NameOf(D));
  for (const DeclContext *DC = D->getDeclContext(); DC && !DC->isTranslationUnit();
       DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isAnonymousNamespace())
        Parts.push_back("(anonymous namespace)");
      else if (!NS->isInline())
        Parts.push_back(NS->getNameAsString());
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      if (const auto *CRD = dyn_cast<CXXRecordDecl>(RD); CRD && CRD->isLambda())
        continue;
      if (RD->getIdentifier())
        Parts.push_back(RD->getNameAsString());
      else if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
        Parts.push_back(TD->getNameAsString());
    } else if (const auto *FD = dyn_cast<FunctionDecl>(DC)) {
      if (const auto *M = dyn_cast<CXXMethodDecl>(FD); M && M->getParent()->isLambda())
        continue;
      Parts.push_back(NameOf(FD));
    } else if (const auto *OM = dyn_cast<ObjCMethodDecl>(DC)) {
      Parts.push_back(OM->getSelector().getAsString());
    }
  }
  std::string Out;
  for (auto I = Parts.rbegin(), E = Parts.rend(); I != E; ++I) {
    if (!Out.empty())
      Out += "::";
    Out += *I;
  }
  return Out;
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

FunctionNameList::FunctionNameList(llvm::StringRef OptionValue) : Names(parseList(OptionValue)) {
  for (const std::string &N : Names) {
    llvm::StringRef Last = llvm::StringRef(N).rsplit("::").second;
    if (Last.empty())
      Last = N;
    bool Identifier = !Last.empty();
    for (char C : Last)
      Identifier = Identifier && (isalnum(static_cast<unsigned char>(C)) || C == '_');
    if (!Identifier)
      ShortcutUsable = false;
    ShortNames.insert(Last);
  }
}

bool FunctionNameList::matches(const FunctionDecl *FD, ASTContext &Ctx) const {
  if (!FD || Names.empty())
    return false;
  if (ShortcutUsable) {
    const IdentifierInfo *II = FD->getIdentifier();
    if (!II || !ShortNames.count(II->getName()))
      return false;
  }
  auto [It, New] = Verdicts.try_emplace(FD, false);
  if (New) {
    std::vector<llvm::StringRef> Refs(Names.begin(), Names.end());
    It->second =
        !ast_matchers::match(ast_matchers::namedDecl(ast_matchers::hasAnyName(Refs)), *FD, Ctx)
             .empty();
  }
  return It->second;
}

} // namespace ctx::tidy
