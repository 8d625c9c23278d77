/**
 * The languages whose image links are checked (missing images marked and made, images explained on hover),
 * as VS Code names them. package.json's activation events and `when` clauses name the same languages
 * (test/unit/manifest.test.ts checks them).
 */
export const DOCS_LANGUAGES: readonly string[] = ['markdown', 'mdx', 'restructuredtext', 'asciidoc', 'html'];
