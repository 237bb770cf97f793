# lit configuration for the check and tool suites. The build-specific paths
# come from lit.site.cfg.py, which lit.cmake configures and passes as a param.
import os
import lit.formats
import lit.util

site = lit_config.params.get('ctx_site')
if site is None:
    lit_config.fatal('run through ctest, or pass --param ctx_site=BUILD/test/lit.site.cfg.py')
if not hasattr(config, 'ctx_obj_root'):
    lit_config.load_config(config, site)

config.name = 'ctx'
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = ['.cpp', '.c', '.m', '.mm', '.cu', '.test']
config.excludes = ['Inputs', 'lit.cfg.py', 'lit.site.cfg.py']
config.test_source_root = os.path.dirname(os.path.abspath(__file__))
config.test_exec_root = os.path.join(config.ctx_obj_root, 'test', 'lit-out')

test_dir = config.test_source_root
inputs = os.path.join(test_dir, 'checks', 'Inputs')
driver = os.path.join(test_dir, 'check_clang_tidy.py')

config.substitutions.append(('%ctx_inputs', inputs))
config.substitutions.append(('%ctx_src', config.ctx_src_root))
config.substitutions.append(('%plugin', config.plugin))
config.substitutions.append(('%check_clang_tidy',
    '%s %s --clang-tidy %s --plugin %s --filecheck %s --inputs %s' %
    (config.python, driver, config.clang_tidy, config.plugin, config.filecheck, inputs)))
config.substitutions.append(('%clang_tidy', config.clang_tidy))
config.substitutions.append(('%other_clang_tidy', config.other_clang_tidy))
config.substitutions.append(('%python', config.python))
config.substitutions.append(('%bin', config.bin_dir))
config.substitutions.append(('%llvm_bin', config.llvm_bin))

config.available_features.add('llvm' + config.llvm_version)
if config.other_clang_tidy:
    config.available_features.add('other-clang-tidy')

config.environment['PATH'] = os.pathsep.join([config.llvm_bin, config.bin_dir, config.environment.get('PATH', '')])
# The runtime was built (so `cmake --install` provides find_package(ctx)).
if getattr(config, 'build_runtime', '').upper() in ('ON', '1', 'TRUE', 'YES', 'Y'):
    config.available_features.add('runtime')
