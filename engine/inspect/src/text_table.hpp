#pragma once
// A table printed as aligned columns (numbers right-aligned), for text output.

#include <string>
#include <vector>

namespace kb::inspect {

class text_table {
  public:
    explicit text_table(std::vector<std::string> header) : header_(std::move(header)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    bool empty() const noexcept { return rows_.empty(); }
    std::string render() const;

  private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

// Quotes a CSV field when it holds a comma, quote or newline.
std::string csv_field(const std::string& s);

}  // namespace kb::inspect
