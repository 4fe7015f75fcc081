#include "engine/io/torch_zip.h"

#include <caffe2/serialize/inline_container.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_map>
#include <vector>

#include "engine/error.h"

namespace ci2v::io {
namespace {

struct StorageRef {
  std::shared_ptr<at::DataPtr> data;  // the record's bytes, shared by every tensor over it
  int64_t elements = 0;               // as the pickle claims them (checked against the record)
  torch::ScalarType dtype = torch::kFloat;
};

// A tensor as the pickle describes it; made (and checked, naming its key) once its key is known.
struct TensorSpec {
  std::shared_ptr<StorageRef> storage;
  int64_t offset = 0;
  std::vector<int64_t> sizes, strides;
};

struct Value;
// A dict, list or tuple. Its depth is final once it is placed in another container: a container may not be
// changed after that (torch.save never does), so no chain can grow deeper than the depths say; with a container
// never placed inside itself, no cycle forms either.
struct Container {
  std::vector<Value> items;  // a dict: key, value, key, value, ...
  int depth = 1;
  bool nested = false;
};

struct Value {
  enum class Kind { None, Bool, Int, Float, Str, Tuple, List, Dict, Global, Storage, Tensor };
  Kind kind = Kind::None;
  int64_t i = 0;
  double f = 0;
  std::shared_ptr<const std::string> text;  // Str; Global: "module name" (shared: a memo copy copies no bytes)
  const std::string& s() const {
    static const std::string none;
    return text ? *text : none;
  }
  std::shared_ptr<Container> c;
  std::shared_ptr<StorageRef> storage;
  std::shared_ptr<TensorSpec> tensor;
  int depth() const { return c ? c->depth : 0; }
};

const char* kind_name(Value::Kind k) {
  switch (k) {
    case Value::Kind::None: return "None";
    case Value::Kind::Bool: return "a bool";
    case Value::Kind::Int: return "an int";
    case Value::Kind::Float: return "a float";
    case Value::Kind::Str: return "a string";
    case Value::Kind::Tuple: return "a tuple";
    case Value::Kind::List: return "a list";
    case Value::Kind::Dict: return "a dict";
    case Value::Kind::Global: return "a class or function";
    case Value::Kind::Storage: return "a storage";
    case Value::Kind::Tensor: return "a tensor";
  }
  return "?";
}

torch::ScalarType storage_dtype(const std::string& global) {
  static const std::pair<const char*, torch::ScalarType> kTypes[] = {
      {"torch FloatStorage", torch::kFloat32},   {"torch HalfStorage", torch::kFloat16},
      {"torch BFloat16Storage", torch::kBFloat16}, {"torch DoubleStorage", torch::kFloat64},
      {"torch LongStorage", torch::kInt64},     {"torch IntStorage", torch::kInt32},
      {"torch ShortStorage", torch::kInt16},    {"torch CharStorage", torch::kInt8},
      {"torch ByteStorage", torch::kUInt8},     {"torch BoolStorage", torch::kBool}};
  for (const auto& [name, t] : kTypes)
    if (global == name) return t;
  throw Error("storage type '" + global + "' is not supported");
}

// The unpickler: the state of one data.pkl.
class Unpickler {
public:
  Unpickler(const uint8_t* data, size_t size, caffe2::serialize::PyTorchStreamReader& zip)
      : begin_(data), p_(data), end_(data + size), zip_(zip) {}

  Value run() {
    while (true) {
      const uint8_t op = u8();
      switch (op) {
        case 0x80: (void)u8(); break;                                 // PROTO
        case 0x95: (void)take(8); break;                              // FRAME (protocol 4)
        case '.': {                                                   // STOP
          if (stack_.size() != 1 || !marks_.empty()) fail("the pickle ends with " + std::to_string(stack_.size()) + " values on its stack");
          return stack_.back();
        }
        case '(': marks_.push_back(stack_.size()); break;             // MARK
        case 'N': push({}); break;                                    // NONE
        case 0x88: push_bool(true); break;                            // NEWTRUE
        case 0x89: push_bool(false); break;                           // NEWFALSE
        case 'J': push_int(static_cast<int32_t>(le(4))); break;       // BININT
        case 'K': push_int(static_cast<int64_t>(le(1))); break;       // BININT1
        case 'M': push_int(static_cast<int64_t>(le(2))); break;       // BININT2
        case 0x8a: {                                                  // LONG1
          const size_t n = u8();
          if (n > 8) fail("an integer of " + std::to_string(n) + " bytes");
          uint64_t v = n ? le(n) : 0;
          if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t(0) << (8 * n);  // sign-extend
          push_int(static_cast<int64_t>(v));
          break;
        }
        case 'G': {                                                   // BINFLOAT (big-endian)
          const uint8_t* b = take(8);
          uint64_t bits = 0;
          for (int k = 0; k < 8; ++k) bits = (bits << 8) | b[k];
          Value v;
          v.kind = Value::Kind::Float;
          std::memcpy(&v.f, &bits, 8);
          push(std::move(v));
          break;
        }
        case 'X': push_str(le(4)); break;                             // BINUNICODE
        case 0x8c: push_str(u8()); break;                             // SHORT_BINUNICODE (protocol 4)
        case 0x8d: push_str(le(8)); break;                            // BINUNICODE8 (protocol 4)
        case 'U': push_str(u8()); break;                              // SHORT_BINSTRING
        case 'T': push_str(le(4)); break;                             // BINSTRING
        case 'C': push_str(u8()); break;                              // SHORT_BINBYTES
        case 'B': push_str(le(4)); break;                             // BINBYTES
        case ')': push(container(Value::Kind::Tuple)); break;         // EMPTY_TUPLE
        case ']': push(container(Value::Kind::List)); break;          // EMPTY_LIST
        case '}': push(container(Value::Kind::Dict)); break;          // EMPTY_DICT
        case 0x85: tuple_of(1); break;                                // TUPLE1
        case 0x86: tuple_of(2); break;                                // TUPLE2
        case 0x87: tuple_of(3); break;                                // TUPLE3
        case 't': tuple_of(stack_.size() - pop_mark()); break;        // TUPLE
        case 'l': {                                                   // LIST
          const size_t from = pop_mark();
          Value l = container(Value::Kind::List);
          fill(l, from);
          push(std::move(l));
          break;
        }
        case 'd': {                                                   // DICT
          const size_t from = pop_mark();
          if ((stack_.size() - from) % 2) fail("a dict of an odd number of keys and values");
          Value d = container(Value::Kind::Dict);
          fill(d, from);
          push(std::move(d));
          break;
        }
        case 'a': {                                                   // APPEND
          Value v = pop();
          add_to(top(), Value::Kind::List, {std::move(v)});
          break;
        }
        case 'e': {                                                   // APPENDS
          const size_t from = pop_mark();
          std::vector<Value> vs(std::make_move_iterator(stack_.begin() + from), std::make_move_iterator(stack_.end()));
          stack_.resize(from);
          add_to(top(), Value::Kind::List, std::move(vs));
          break;
        }
        case 's': {                                                   // SETITEM
          Value v = pop();
          Value k = pop();
          add_to(top(), Value::Kind::Dict, {std::move(k), std::move(v)});
          break;
        }
        case 'u': {                                                   // SETITEMS
          const size_t from = pop_mark();
          if ((stack_.size() - from) % 2) fail("SETITEMS with an odd number of keys and values");
          std::vector<Value> kv(std::make_move_iterator(stack_.begin() + from), std::make_move_iterator(stack_.end()));
          stack_.resize(from);
          add_to(top(), Value::Kind::Dict, std::move(kv));
          break;
        }
        case 'q': remember(static_cast<uint32_t>(u8()), top()); break;           // BINPUT
        case 'r': remember(static_cast<uint32_t>(le(4)), top()); break;          // LONG_BINPUT
        case 0x94: remember(static_cast<uint32_t>(memo_.size()), top()); break;  // MEMOIZE (protocol 4)
        case 'h': push(memo(static_cast<uint32_t>(u8()))); break;     // BINGET
        case 'j': push(memo(static_cast<uint32_t>(le(4)))); break;    // LONG_BINGET
        case '0': (void)pop(); break;                                 // POP
        case '1': stack_.resize(pop_mark()); break;                   // POP_MARK
        case '2': push(top()); break;                                 // DUP
        case 'c': {                                                   // GLOBAL
          std::string name = line();  // the module, then the name (one statement each: the order matters)
          name += " " + line();
          push(global(std::move(name)));
          break;
        }
        case 0x93: {                                                  // STACK_GLOBAL (protocol 4)
          const Value name = pop();
          const Value module = pop();
          if (module.kind != Value::Kind::Str || name.kind != Value::Kind::Str)
            fail("STACK_GLOBAL of " + std::string(kind_name(module.kind)) + " and " + kind_name(name.kind));
          push(global(module.s() + " " + name.s()));
          break;
        }
        case 'Q': push(persistent(pop())); break;                     // BINPERSID
        case 'R': {                                                   // REDUCE
          Value args = pop();
          Value f = pop();
          push(reduce(f, args));
          break;
        }
        case 'b': {                                                   // BUILD
          Value state = pop();
          const Value& obj = top();
          // an OrderedDict's attributes (a state dict's _metadata) are of no use here
          if (obj.kind != Value::Kind::Dict || (state.kind != Value::Kind::Dict && state.kind != Value::Kind::None))
            fail("BUILD of " + std::string(kind_name(obj.kind)) + " with " + kind_name(state.kind));
          break;
        }
        default: {
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02x", op);
          fail(std::string("pickle opcode ") + hex + " at byte " + std::to_string(p_ - 1 - begin()) +
               ", which torch.save does not write for a state dict");
        }
      }
    }
  }

private:
  const uint8_t* const begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  caffe2::serialize::PyTorchStreamReader& zip_;
  std::vector<Value> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint32_t, Value> memo_;
  std::unordered_map<std::string, std::shared_ptr<StorageRef>> storages_;

  const uint8_t* begin() const { return begin_; }

  [[noreturn]] static void fail(const std::string& what) { throw Error(what); }

  const uint8_t* take(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) fail("the pickle is cut short");
    const uint8_t* at = p_;
    p_ += n;
    return at;
  }
  uint8_t u8() { return *take(1); }
  uint64_t le(size_t n) {
    const uint8_t* b = take(n);
    uint64_t v = 0;
    for (size_t k = n; k-- > 0;) v = (v << 8) | b[k];
    return v;
  }
  std::string line() {
    const uint8_t* nl = static_cast<const uint8_t*>(std::memchr(p_, '\n', static_cast<size_t>(end_ - p_)));
    if (!nl || nl - p_ > 256) fail("a GLOBAL name is not a line of text");
    std::string s(reinterpret_cast<const char*>(p_), static_cast<size_t>(nl - p_));
    p_ = nl + 1;
    return s;
  }

  // a class or function by "module name": only those a state dict of tensors needs
  static Value global(std::string name) {
    static const char* kAllowed[] = {"collections OrderedDict", "torch._utils _rebuild_tensor_v2",
                                     "torch._utils _rebuild_tensor", "torch._utils _rebuild_parameter",
                                     "torch.jit._pickle restore_type_tag"};  // (LibTorch's pickle_save)
    const bool storage = name.rfind("torch ", 0) == 0 && name.size() > 13 &&
                         name.compare(name.size() - 7, 7, "Storage") == 0;
    if (!storage && std::none_of(std::begin(kAllowed), std::end(kAllowed), [&](const char* a) { return name == a; }))
      fail("it uses '" + name + "', which a state dict of tensors does not need (refused: a checkpoint could run "
           "code through it)");
    Value g;
    g.kind = Value::Kind::Global;
    g.text = std::make_shared<const std::string>(std::move(name));
    return g;
  }

  // Values are small (strings and containers are shared, not copied), and their number is held to what a state
  // dict of even the largest model needs: a 2 MB pickle of BINGETs or DUPs cannot ask for gigabytes.
  static constexpr size_t kMaxValues = size_t(1) << 22;
  void push(Value v) {
    if (stack_.size() >= kMaxValues) fail("its stack grows past " + std::to_string(kMaxValues) + " values");
    stack_.push_back(std::move(v));
  }
  void remember(uint32_t id, const Value& v) {
    if (memo_.size() >= kMaxValues && !memo_.count(id))
      fail("its memo grows past " + std::to_string(kMaxValues) + " values");
    memo_[id] = v;
  }
  void push_bool(bool b) {
    Value v;
    v.kind = Value::Kind::Bool;
    v.i = b;
    push(std::move(v));
  }
  void push_int(int64_t i) {
    Value v;
    v.kind = Value::Kind::Int;
    v.i = i;
    push(std::move(v));
  }
  void push_str(uint64_t n) {
    if (n > static_cast<uint64_t>(end_ - p_)) fail("a string runs past the end of the pickle");
    Value v;
    v.kind = Value::Kind::Str;
    const uint8_t* b = take(static_cast<size_t>(n));
    v.text = std::make_shared<const std::string>(reinterpret_cast<const char*>(b), static_cast<size_t>(n));
    push(std::move(v));
  }
  // the stack above the innermost mark
  size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  Value pop() {
    if (stack_.size() <= floor()) fail("an opcode at byte " + std::to_string(p_ - 1 - begin()) + " finds its stack empty");
    Value v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  const Value& top() const {
    if (stack_.size() <= floor()) fail("an opcode at byte " + std::to_string(p_ - 1 - begin()) + " finds its stack empty");
    return stack_.back();
  }
  size_t pop_mark() {
    if (marks_.empty()) fail("an opcode at byte " + std::to_string(p_ - 1 - begin()) + " has no MARK before it");
    const size_t m = marks_.back();
    marks_.pop_back();
    return m;
  }
  Value memo(uint32_t id) const {
    const auto it = memo_.find(id);
    if (it == memo_.end()) fail("the memo has no entry " + std::to_string(id));
    return it->second;
  }

  static Value container(Value::Kind k) {
    Value v;
    v.kind = k;
    v.c = std::make_shared<Container>();
    return v;
  }
  // `child` goes into `parent`: its depth counts from now on, and it may no longer change
  static void adopt(Container& parent, Value child) {
    if (child.c.get() == &parent) fail("a dict or list is placed inside itself");
    if (child.c) {
      child.c->nested = true;
      parent.depth = std::max(parent.depth, child.c->depth + 1);
      if (parent.depth > kMaxPickleDepth)
        fail("its values are nested more than " + std::to_string(kMaxPickleDepth) + " deep");
    }
    parent.items.push_back(std::move(child));
  }
  void fill(Value& v, size_t from) {
    for (size_t k = from; k < stack_.size(); ++k) adopt(*v.c, std::move(stack_[k]));
    stack_.resize(from);
  }
  void tuple_of(size_t n) {
    if (stack_.size() - floor() < n) fail("a tuple of " + std::to_string(n) + " finds fewer values on the stack");
    Value t = container(Value::Kind::Tuple);
    fill(t, stack_.size() - n);
    push(std::move(t));
  }
  static void add_to(const Value& target, Value::Kind kind, std::vector<Value> vs) {
    if (target.kind != kind) fail(std::string("items added to ") + kind_name(target.kind));
    if (target.c->nested) fail("a dict or list is changed after it was placed in another");
    for (auto& v : vs) adopt(*target.c, std::move(v));
  }

  static const Value& item(const Value& tuple, size_t k, Value::Kind kind, const char* what) {
    if (tuple.kind != Value::Kind::Tuple || tuple.c->items.size() <= k || tuple.c->items[k].kind != kind)
      fail(std::string(what) + " is not " + kind_name(kind));
    return tuple.c->items[k];
  }
  static std::vector<int64_t> ints(const Value& tuple, const char* what) {
    if (tuple.kind != Value::Kind::Tuple) fail(std::string(what) + " is not a tuple");
    std::vector<int64_t> out;
    for (const Value& v : tuple.c->items) {
      if (v.kind != Value::Kind::Int) fail(std::string(what) + " holds " + kind_name(v.kind));
      out.push_back(v.i);
    }
    return out;
  }

  // ('storage', torch.XStorage, key, location, numel): the record data/<key>, holding at least numel elements
  Value persistent(const Value& pid) {
    if (item(pid, 0, Value::Kind::Str, "a persistent id").s() != "storage") fail("a persistent id that is not a storage");
    const torch::ScalarType dtype = storage_dtype(item(pid, 1, Value::Kind::Global, "a storage's type").s());
    const std::string& key = item(pid, 2, Value::Kind::Str, "a storage's key").s();
    (void)item(pid, 3, Value::Kind::Str, "a storage's location");  // cpu, cuda:0 ...: read onto the CPU alike
    const int64_t numel = item(pid, 4, Value::Kind::Int, "a storage's element count").i;
    auto& ref = storages_[key];
    if (!ref) {
      const std::string record = "data/" + key;
      if (key.empty() || key.find('/') != std::string::npos || !zip_.hasRecord(record))
        fail("the storage '" + key + "' has no record " + record + " in the archive");
      auto [data, bytes] = zip_.getRecord(record);
      ref = std::make_shared<StorageRef>();
      ref->data = std::make_shared<at::DataPtr>(std::move(data));
      ref->dtype = dtype;
      const int64_t item_size = static_cast<int64_t>(c10::elementSize(dtype));
      int64_t need = 0;
      if (numel < 0 || __builtin_mul_overflow(numel, item_size, &need) || static_cast<uint64_t>(need) > bytes)
        fail("the storage '" + key + "' claims " + std::to_string(numel) + " elements of " + std::to_string(item_size) +
             " bytes, but its record holds " + std::to_string(bytes) + " bytes");
      ref->elements = numel;
    } else if (ref->dtype != dtype || ref->elements != numel) {
      fail("the storage '" + key + "' is described twice, differently");
    }
    Value v;
    v.kind = Value::Kind::Storage;
    v.storage = ref;
    return v;
  }

  Value reduce(const Value& f, const Value& args) {
    if (f.kind != Value::Kind::Global || args.kind != Value::Kind::Tuple)
      fail(std::string("REDUCE of ") + kind_name(f.kind) + " with " + kind_name(args.kind));
    if (f.s() == "collections OrderedDict") {
      if (!args.c->items.empty()) fail("an OrderedDict made from arguments");
      return container(Value::Kind::Dict);
    }
    if (f.s() == "torch._utils _rebuild_parameter") return item(args, 0, Value::Kind::Tensor, "a parameter's data");
    if (f.s() == "torch.jit._pickle restore_type_tag") {  // (a typed dict or list, and its type's name)
      (void)item(args, 1, Value::Kind::Str, "a type tag");
      return args.c->items[0];
    }
    if (f.s() == "torch._utils _rebuild_tensor_v2" || f.s() == "torch._utils _rebuild_tensor") {
      auto t = std::make_shared<TensorSpec>();
      t->storage = item(args, 0, Value::Kind::Storage, "a tensor's storage").storage;
      t->offset = item(args, 1, Value::Kind::Int, "a tensor's storage offset").i;
      t->sizes = ints(item(args, 2, Value::Kind::Tuple, "a tensor's size"), "a tensor's size");
      t->strides = ints(item(args, 3, Value::Kind::Tuple, "a tensor's stride"), "a tensor's stride");
      Value v;
      v.kind = Value::Kind::Tensor;
      v.tensor = std::move(t);
      return v;
    }
    fail("REDUCE of '" + f.s() + "'");
  }
};

// The tensor over its storage, after checking that the view stays inside it.
torch::Tensor make_tensor(const TensorSpec& t, const std::string& key) {
  const std::string where = "tensor '" + key + "'";
  const StorageRef& st = *t.storage;
  if (t.sizes.size() != t.strides.size()) throw Error(where + ": its size and stride differ in length");
  if (t.offset < 0) throw Error(where + ": negative storage offset");
  // the last element's index + 1 (0 for an empty tensor)
  int64_t span = 0, count = 1;
  bool empty = false;
  for (size_t d = 0; d < t.sizes.size(); ++d) {
    if (t.sizes[d] < 0 || t.strides[d] < 0) throw Error(where + ": negative size or stride");
    if (t.sizes[d] == 0) empty = true;
    int64_t reach = 0;
    if (t.sizes[d] > 0 && (__builtin_mul_overflow(t.sizes[d] - 1, t.strides[d], &reach) ||
                           __builtin_add_overflow(span, reach, &span) || __builtin_mul_overflow(count, t.sizes[d], &count)))
      throw Error(where + ": sizes and strides overflow");
  }
  const int64_t item_size = static_cast<int64_t>(c10::elementSize(st.dtype));
  int64_t need = 0, need_bytes = 0;
  const bool overflow = __builtin_add_overflow(span, t.offset, &need) || __builtin_add_overflow(need, 1, &need) ||
                        __builtin_mul_overflow(need, item_size, &need_bytes);
  if (!empty && (overflow || need > st.elements))
    throw Error(where + ": shape " + c10::str(c10::IntArrayRef(t.sizes)) + " at storage offset " +
                std::to_string(t.offset) + " needs " + (overflow ? std::string("more") : std::to_string(need_bytes)) +
                " bytes of its storage, which has " + std::to_string(st.elements * item_size) +
                " (a damaged or crafted checkpoint)");
  const std::shared_ptr<at::DataPtr> keep = st.data;
  const torch::Tensor flat =
      torch::from_blob(keep->get(), {st.elements}, [keep](void*) {}, torch::TensorOptions().dtype(st.dtype));
  torch::Tensor out = flat.as_strided(t.sizes, t.strides, t.offset);
  // A compact tensor over its whole storage is handed on as it is (no second copy of a multi-GB checkpoint). A view
  // of part of a storage is copied, so that the rest is not kept alive. A view that repeats elements (stride 0)
  // stays a view: a 1 MB file must not become gigabytes before the model's shapes are compared.
  if (!(out.is_contiguous() && t.offset == 0 && count == st.elements) && count <= st.elements)
    out = out.clone(at::MemoryFormat::Contiguous);
  return out;
}

void add_tensors(std::map<std::string, torch::Tensor>& out, const Value& v, bool top) {
  if (v.kind != Value::Kind::Dict) throw Error("expected a state dict (a dict of tensors), found " + std::string(kind_name(v.kind)));
  const auto& items = v.c->items;
  if (top)  // a training checkpoint wraps the weights: {"state_dict": {...}, "epoch": ...}
    for (size_t k = 0; k + 1 < items.size(); k += 2)
      if (items[k].kind == Value::Kind::Str && items[k].s() == "state_dict" && items[k + 1].kind == Value::Kind::Dict)
        return add_tensors(out, items[k + 1], false);
  for (size_t k = 0; k + 1 < items.size(); k += 2) {
    if (items[k].kind != Value::Kind::Str) throw Error("the state dict has a key that is " + std::string(kind_name(items[k].kind)));
    if (items[k + 1].kind != Value::Kind::Tensor) continue;  // e.g. "global_step"
    out[items[k].s()] = make_tensor(*items[k + 1].tensor, items[k].s());
  }
}

std::string first_line(const std::exception& e) {
  const auto* c10e = dynamic_cast<const c10::Error*>(&e);
  std::string m = c10e ? c10e->what_without_backtrace() : e.what();
  return m.substr(0, m.find('\n'));
}

}  // namespace

std::map<std::string, torch::Tensor> read_torch_zip_checkpoint(const std::string& file) {
  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> zip;
  try {
    zip = std::make_unique<caffe2::serialize::PyTorchStreamReader>(file);
  } catch (const std::exception& e) {
    throw Error(file + ": not a readable PyTorch (torch.save zip) checkpoint: " + first_line(e));
  }
  std::map<std::string, torch::Tensor> out;
  try {
    if (!zip->hasRecord("data.pkl")) throw Error("the archive has no data.pkl");
    if (zip->hasRecord("byteorder")) {
      auto [b, n] = zip->getRecord("byteorder");
      if (std::string(static_cast<const char*>(b.get()), n) != "little")
        throw Error("its tensors are stored big-endian, which is not supported");
    }
    auto [pkl, size] = zip->getRecord("data.pkl");
    Unpickler u(static_cast<const uint8_t*>(pkl.get()), size, *zip);
    add_tensors(out, u.run(), true);
  } catch (const Error& e) {
    throw Error(file + ": not a usable PyTorch checkpoint: " + e.what());
  } catch (const std::exception& e) {
    throw Error(file + ": not a readable PyTorch (torch.save zip) checkpoint: " + first_line(e));
  }
  return out;
}

}  // namespace ci2v::io
