// The filter plugin's matching engine, independent of chatd: finds banned
// words (case-insensitive for ASCII, whole words only) and regular expressions
// in a UTF-8 text, and masks what it found. Every range it reports starts and
// ends on a character boundary, so masking never breaks a multibyte character.
#pragma once

#include <cstddef>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace chatd::plugins::filter {

// Word characters: see word_chars.h (letters and digits of any script).

// A byte range [begin, end) of the text.
struct Range {
    std::size_t begin;
    std::size_t end;
};

class WordFilter {
public:
    // `words`: plain words or phrases (valid UTF-8; ASCII letters match in
    // any case, other characters exactly). `patterns`: ECMAScript regular
    // expressions, matched case-insensitively. Throws std::invalid_argument
    // naming the bad word or pattern.
    WordFilter(const std::vector<std::string>& words, const std::vector<std::string>& patterns);

    // Every match in `text`, sorted, overlapping ones merged.
    std::vector<Range> find(std::string_view text) const;

    // `text` with every range replaced by "***".
    static std::string mask(std::string_view text, const std::vector<Range>& ranges);

    bool empty() const { return words_.empty() && phrases_.empty() && patterns_.empty(); }

private:
    void findWords(std::string_view text, std::vector<Range>& out) const;
    void findPhrases(std::string_view lowered, std::vector<Range>& out) const;
    void findPatterns(std::string_view text, std::vector<Range>& out) const;

    std::unordered_set<std::string> words_;             // single words, ASCII-lowercased
    std::size_t shortest_word_ = 0, longest_word_ = 0;  // bytes: tokens outside are not looked up
    std::vector<std::string> phrases_;                  // entries with separators in them, lowercased
    std::vector<std::regex> patterns_;
};

}  // namespace chatd::plugins::filter
