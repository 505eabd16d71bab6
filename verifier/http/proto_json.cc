#include "verifier/http/proto_json.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "verifier/http/http_status.h"

namespace certreg {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status BadValue(absl::string_view name, absl::string_view value,
                      absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(name, ": \"", value.substr(0, 64), "\" is not ", what));
}

// Sets (or adds, for a repeated field) one scalar or enum field from text.
absl::Status SetScalar(const FieldDescriptor& field, absl::string_view name,
                       absl::string_view value, Message* message) {
  const Reflection& reflection = *message->GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string text(value);
      if (field.type() == FieldDescriptor::TYPE_BYTES &&
          !absl::Base64Unescape(value, &text) &&
          !absl::WebSafeBase64Unescape(value, &text)) {
        return BadValue(name, value, "base64");
      }
      repeated ? reflection.AddString(message, &field, text)
               : reflection.SetString(message, &field, text);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t number;
      if (!absl::SimpleAtoi(value, &number)) {
        return BadValue(name, value, "an integer");
      }
      repeated ? reflection.AddInt32(message, &field, number)
               : reflection.SetInt32(message, &field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t number;
      if (!absl::SimpleAtoi(value, &number)) {
        return BadValue(name, value, "a non-negative integer");
      }
      repeated ? reflection.AddUInt32(message, &field, number)
               : reflection.SetUInt32(message, &field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t number;
      if (!absl::SimpleAtoi(value, &number)) {
        return BadValue(name, value, "an integer");
      }
      repeated ? reflection.AddInt64(message, &field, number)
               : reflection.SetInt64(message, &field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t number;
      if (!absl::SimpleAtoi(value, &number)) {
        return BadValue(name, value, "a non-negative integer");
      }
      repeated ? reflection.AddUInt64(message, &field, number)
               : reflection.SetUInt64(message, &field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool flag;
      if (!absl::SimpleAtob(value, &flag)) {
        return BadValue(name, value, "true or false");
      }
      repeated ? reflection.AddBool(message, &field, flag)
               : reflection.SetBool(message, &field, flag);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* named =
          field.enum_type()->FindValueByName(std::string(value));
      int number = 0;
      if (named == nullptr && absl::SimpleAtoi(value, &number)) {
        named = field.enum_type()->FindValueByNumber(number);
      }
      if (named == nullptr) {
        return BadValue(
            name, value,
            absl::StrCat("a ", field.enum_type()->name(), " value"));
      }
      repeated ? reflection.AddEnum(message, &field, named)
               : reflection.SetEnum(message, &field, named);
      return absl::OkStatus();
    }
    default:
      return BadValue(name, value, "a supported parameter type");
  }
}

}  // namespace

HttpResponse JsonResponse(const Message& message, int status) {
  HttpResponse response;
  response.status = status;
  response.content_type = std::string(kJsonType);
  google::protobuf::util::JsonPrintOptions options;
  const auto printed = google::protobuf::util::MessageToJsonString(
      message, &response.body, options);
  if (!printed.ok())
    return JsonError(absl::InternalError("json: cannot print"));
  return response;
}

HttpResponse JsonError(const absl::Status& status) {
  google::protobuf::Struct error;
  auto& fields = *error.mutable_fields();
  fields["code"].set_number_value(HttpStatusOf(status.code()));
  fields["message"].set_string_value(std::string(status.message()));
  fields["status"].set_string_value(std::string(CodeName(status.code())));
  google::protobuf::Struct body;
  *(*body.mutable_fields())["error"].mutable_struct_value() = error;
  HttpResponse response;
  response.status = HttpStatusOf(status.code());
  response.content_type = std::string(kJsonType);
  (void)google::protobuf::util::MessageToJsonString(body, &response.body);
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

absl::Status ParseJsonBody(absl::string_view body, Message* message) {
  if (body.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "body: empty; send a JSON ", message->GetDescriptor()->name()));
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      std::string(body), message, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("body: not a JSON ", message->GetDescriptor()->name(),
                     ": ", std::string(parsed.message())));
  }
  return absl::OkStatus();
}

absl::Status QueryToMessage(const QueryParams& params,
                            const QueryMessageParsers& parsers,
                            Message* message) {
  const auto* descriptor = message->GetDescriptor();
  for (const auto& [name, value] : params) {
    const FieldDescriptor* field = descriptor->FindFieldByName(name);
    if (field == nullptr) field = descriptor->FindFieldByCamelcaseName(name);
    if (field == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": unknown query parameter"));
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      if (absl::Status set = SetScalar(*field, name, value, message);
          !set.ok()) {
        return set;
      }
      continue;
    }
    auto parser = parsers.find(field->message_type()->full_name());
    if (parser == parsers.end() || field->is_repeated()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": cannot be given as a query parameter"));
    }
    Message* nested = message->GetReflection()->MutableMessage(message, field);
    if (absl::Status parsed = parser->second(value, nested); !parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": ", parsed.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace certreg
