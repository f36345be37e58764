// Matching for the filter plugin. Words are found by splitting the text into
// maximal runs of word characters and looking each up in a hash set (cost
// independent of the list's length); entries containing separators ("bad
// word") are searched as substrings with word boundaries at their ends;
// patterns run through std::regex and their matches are widened to whole
// UTF-8 characters.
#include "word_filter.h"

#include <algorithm>
#include <stdexcept>

#include <chatd/detail/utf8.hpp>

#include "word_chars.h"

namespace chatd::plugins::filter {

namespace {

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lowerAscii);
    return out;
}

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

bool wordCharAt(std::string_view s, std::size_t at) { return isWordChar(decodeAt(s, at).code_point); }

// True if every character of `s` is a word character.
bool allWordChars(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); i += decodeAt(s, i).length)
        if (!wordCharAt(s, i)) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

WordFilter::WordFilter(const std::vector<std::string>& words, const std::vector<std::string>& patterns) {
    for (const std::string& raw : words) {
        const std::string_view word = trim(raw);
        if (word.empty()) continue;
        if (!sdk::detail::isValidUtf8(word)) throw std::invalid_argument("word '" + raw + "' is not valid UTF-8");
        if (allWordChars(word)) {
            shortest_word_ = words_.empty() ? word.size() : std::min(shortest_word_, word.size());
            longest_word_ = std::max(longest_word_, word.size());
            words_.insert(lowered(word));
        } else
            phrases_.push_back(lowered(word));
    }
    for (const std::string& pattern : patterns) {
        try {
            patterns_.emplace_back(pattern, std::regex::ECMAScript | std::regex::icase);
        } catch (const std::regex_error& e) {
            throw std::invalid_argument("pattern '" + pattern + "' is not a valid regular expression: " + e.what());
        }
    }
}

std::vector<Range> WordFilter::find(std::string_view text) const {
    std::vector<Range> found;
    if (!words_.empty()) findWords(text, found);
    if (!phrases_.empty()) findPhrases(lowered(text), found);
    if (!patterns_.empty()) findPatterns(text, found);
    if (found.size() < 2) return found;

    std::sort(found.begin(), found.end(), [](const Range& a, const Range& b) { return a.begin < b.begin; });
    std::vector<Range> merged{found.front()};
    for (std::size_t i = 1; i < found.size(); ++i) {
        if (found[i].begin < merged.back().end)
            merged.back().end = std::max(merged.back().end, found[i].end);
        else
            merged.push_back(found[i]);
    }
    return merged;
}

void WordFilter::findWords(std::string_view text, std::vector<Range>& out) const {
    std::string token;
    std::size_t i = 0;
    while (i < text.size()) {
        const Utf8Char c = decodeAt(text, i);
        if (!isWordChar(c.code_point)) {
            i += c.length;
            continue;
        }
        const std::size_t start = i;
        while (i < text.size()) {
            const Utf8Char next = decodeAt(text, i);
            if (!isWordChar(next.code_point)) break;
            i += next.length;
        }
        if (i - start < shortest_word_ || i - start > longest_word_) continue;
        token.assign(text.substr(start, i - start));
        std::transform(token.begin(), token.end(), token.begin(), lowerAscii);
        if (words_.count(token) != 0) out.push_back({start, i});
    }
}

// A phrase's ends must not touch word characters outside it ("bad word" does
// not match inside "abad words"). Phrases and text are both ASCII-lowercased.
void WordFilter::findPhrases(std::string_view lowered_text, std::vector<Range>& out) const {
    for (const std::string& phrase : phrases_) {
        const bool word_start = wordCharAt(phrase, 0);
        const bool word_end = wordCharAt(phrase, previousStart(phrase, phrase.size()));
        for (std::size_t at = lowered_text.find(phrase); at != std::string_view::npos;
             at = lowered_text.find(phrase, at + 1)) {
            const std::size_t end = at + phrase.size();
            if (word_start && at > 0 && wordCharAt(lowered_text, previousStart(lowered_text, at))) continue;
            if (word_end && end < lowered_text.size() && wordCharAt(lowered_text, end)) continue;
            out.push_back({at, end});
        }
    }
}

// std::regex works on bytes: a match may start or end inside a multibyte
// character, so widen it to the characters it touches.
void WordFilter::findPatterns(std::string_view text, std::vector<Range>& out) const {
    for (const std::regex& pattern : patterns_) {
        using Iterator = std::regex_iterator<std::string_view::const_iterator>;
        for (Iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
            std::size_t begin = static_cast<std::size_t>(it->position(0));
            std::size_t stop = begin + static_cast<std::size_t>(it->length(0));
            if (stop == begin) continue;
            while (begin > 0 && isContinuation(static_cast<unsigned char>(text[begin]))) --begin;
            while (stop < text.size() && isContinuation(static_cast<unsigned char>(text[stop]))) ++stop;
            out.push_back({begin, stop});
        }
    }
}

std::string WordFilter::mask(std::string_view text, const std::vector<Range>& ranges) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    for (const Range& r : ranges) {
        out.append(text.substr(at, r.begin - at));
        out.append("***");
        at = r.end;
    }
    out.append(text.substr(at));
    return out;
}

}  // namespace chatd::plugins::filter
