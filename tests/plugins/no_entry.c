/* A shared object that is not a chatd plugin: it has no chatd_plugin_entry.
 * The loader must say "not a chatd plugin". */
int chatd_test_not_a_plugin(void) { return 42; }
