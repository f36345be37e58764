// Tests for the JSON DOM value: kinds, typed access, lookup and equality.
#include <gtest/gtest.h>

#include "json/json_value.h"

namespace chatd::json {
namespace {

TEST(JsonValue, DefaultIsNull) {
    Value v;
    EXPECT_TRUE(v.isNull());
    EXPECT_EQ(v.kind(), Value::Kind::Null);
    EXPECT_EQ(v.asBool(), nullptr);
    EXPECT_EQ(v.asDouble(), nullptr);
    EXPECT_EQ(v.asString(), nullptr);
    EXPECT_EQ(v.asArray(), nullptr);
    EXPECT_EQ(v.asObject(), nullptr);
    EXPECT_FALSE(v.asUint().has_value());
    EXPECT_EQ(v.find("x"), nullptr);
}

TEST(JsonValue, KindsAndTypedAccess) {
    EXPECT_TRUE(Value(true).isBool());
    EXPECT_TRUE(Value(1.5).isNumber());
    EXPECT_TRUE(Value(std::string("s")).isString());
    EXPECT_TRUE(Value(Array{}).isArray());
    EXPECT_TRUE(Value(Object{}).isObject());
    EXPECT_EQ(Value(1.5).asBool(), nullptr);
    EXPECT_EQ(Value(true).asDouble(), nullptr);
    // A double built directly never claims to be an exact integer.
    EXPECT_FALSE(Value(3.0).asUint().has_value());
}

TEST(JsonValue, FromUint) {
    EXPECT_EQ(Value::fromUint(7).asUint(), 7u);
    EXPECT_EQ(*Value::fromUint(7).asDouble(), 7.0);
    EXPECT_EQ(Value::fromUint(Value::kMaxExactUint).asUint(), Value::kMaxExactUint);
    EXPECT_FALSE(Value::fromUint(Value::kMaxExactUint + 1).asUint().has_value());
}

TEST(JsonValue, FindOnObject) {
    Object o;
    o.emplace_back("a", Value(1.0));
    o.emplace_back("b", Value(std::string("x")));
    Value v(std::move(o));
    ASSERT_NE(v.find("b"), nullptr);
    EXPECT_EQ(*v.find("b")->asString(), "x");
    EXPECT_EQ(v.find("c"), nullptr);
    EXPECT_EQ(v.find(""), nullptr);
    EXPECT_EQ(Value(Array{Value(1.0)}).find("0"), nullptr);
}

TEST(JsonValue, Equality) {
    EXPECT_EQ(Value(Array{Value(true), Value()}), Value(Array{Value(true), Value()}));
    EXPECT_NE(Value(Array{Value(true)}), Value(Array{Value(false)}));
    EXPECT_NE(Value(1.0), Value(std::string("1")));
    EXPECT_NE(Value(1.0), Value::fromUint(1));  // exactness is part of the value
}

}  // namespace
}  // namespace chatd::json
