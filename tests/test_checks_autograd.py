"""The checkers of the PyTorch primer and of the autograd chapter: each passes a correct
solution (written here independently of the checkers' references) and rejects each classic
mistake with the hint that names it."""

import math

import pytest
import torch

from dlcourse.checks import (
    CheckResult,
    check_sgd_step,
    check_standardize,
    check_value_mul,
    check_value_sigmoid,
)


def skeleton(*args): ...  # what the notebook hands the reader: returns None


# ------------------------------------------------------------------------- standardize


@pytest.mark.parametrize(
    ("standardize", "phrase"),
    [
        (lambda X: (X - X.mean(dim=0)) / X.std(dim=0, correction=0), "✔ Correct"),
        (lambda X: (X - X.mean(dim=0, keepdim=True)) / X.var(0, unbiased=False).sqrt(), "✔"),
        (lambda X: (X - X.mean(dim=0)) / X.std(dim=0), "correction=0"),
        (lambda X: (X - X.mean(1, keepdim=True)) / X.std(1, keepdim=True, correction=0), "row"),
        (lambda X: X - X.mean(dim=0), "did not divide"),
        (skeleton, "returned None"),
        (lambda X: X.mean(dim=2), "raised IndexError"),
        ("not a function", "should be a function"),
    ],
)
def test_standardize(standardize, phrase):
    result = check_standardize(standardize)
    assert isinstance(result, CheckResult)
    assert result.passed == phrase.startswith("✔")
    assert phrase in result.message, result.message


# ---------------------------------------------------------------------------- sgd_step


def sgd_step(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            p.sub_(lr * p.grad)
            p.grad.zero_()


def sgd_step_none(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            p -= lr * p.grad
    for p in parameters:
        p.grad = None


def uphill(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            p += lr * p.grad
            p.grad = None


def keeps_grads(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            p -= lr * p.grad


def rebinds(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            p = p - lr * p.grad  # the mistake under test: a new tensor, named p


def without_no_grad(parameters, lr):
    for p in parameters:
        p -= lr * p.grad


@pytest.mark.parametrize(
    ("step", "phrase"),
    [
        (sgd_step, "✔ Correct"),
        (sgd_step_none, "✔ Correct"),
        (uphill, "uphill"),
        (keeps_grads, "still there"),
        (without_no_grad, "raised RuntimeError"),
        (skeleton, "did not change"),
        (rebinds, "did not change"),
        ("not a function", "should be a function"),
    ],
)
def test_sgd_step(step, phrase):
    result = check_sgd_step(step)
    assert result.passed == phrase.startswith("✔")
    assert phrase in result.message, result.message


# ------------------------------------------------ a tiny Value of our own, and its sigmoid


class Value:
    def __init__(self, data, prev=()):
        self.data, self.grad, self._prev, self._backward = float(data), 0.0, prev, lambda: None

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = backward
        return out

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if id(v) not in seen:
                seen.add(id(v))
                for child in v._prev:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


def with_sigmoid(local, assign=False, attach=True):
    """A Value class whose sigmoid's backward uses ``local(x, s)`` as the local derivative."""

    class V(Value):
        def sigmoid(self):
            s = 1 / (1 + math.exp(-self.data))
            out = V(s, (self,))

            def backward():
                if assign:
                    self.grad = local(self.data, s) * out.grad
                else:
                    self.grad += local(self.data, s) * out.grad

            if attach:
                out._backward = backward
            return out

    return V


class ForgetsUpstream(Value):
    def sigmoid(self):
        s = 1 / (1 + math.exp(-self.data))
        out = ForgetsUpstream(s, (self,))

        def backward():
            self.grad += s * (1 - s)

        out._backward = backward
        return out


class SkeletonSigmoid(Value):
    def sigmoid(self): ...  # your code here


class ComposedSigmoid(Value):  # built from other operations: also right
    def sigmoid(self):
        e = math.exp(-self.data)
        denominator = ComposedSigmoid(1 + e, (self,))

        def backward():
            self.grad += -e * denominator.grad

        denominator._backward = backward
        inverse = ComposedSigmoid(1 / denominator.data, (denominator,))

        def backward_inverse():
            denominator.grad += -inverse.grad / denominator.data**2

        inverse._backward = backward_inverse
        return inverse


@pytest.mark.parametrize(
    ("cls", "phrase"),
    [
        (with_sigmoid(lambda x, s: s * (1 - s)), "✔ Correct"),
        (ComposedSigmoid, "✔ Correct"),
        (ForgetsUpstream, "out.grad"),
        (with_sigmoid(lambda x, s: x * (1 - x)), "OUTPUT"),
        (with_sigmoid(lambda x, s: s), "not s"),
        (with_sigmoid(lambda x, s: s * (1 - s), assign=True), "`+=`"),
        (with_sigmoid(lambda x, s: s * (1 - s), attach=False), "out._backward"),
        (Value, "raised AttributeError"),
        (SkeletonSigmoid, "returned None"),
    ],
)
def test_value_sigmoid(cls, phrase):
    result = check_value_sigmoid(cls)
    assert result.passed == phrase.startswith("✔")
    assert phrase in result.message, result.message


# --------------------------------------------------------------------------------- mul


def make_mul(grad_a, grad_b, assign=False):
    def mul(a, b):
        out = Value(a.data * b.data, (a, b))

        def backward():
            if assign:
                a.grad = grad_a(a, b, out)
                b.grad = grad_b(a, b, out)
            else:
                a.grad += grad_a(a, b, out)
                b.grad += grad_b(a, b, out)

        out._backward = backward
        return out

    return mul


@pytest.mark.parametrize(
    ("mul", "phrase"),
    [
        (make_mul(lambda a, b, o: b.data * o.grad, lambda a, b, o: a.data * o.grad), "✔"),
        (lambda a, b: a * b, "✔ Correct"),
        (make_mul(lambda a, b, o: b.data * o.grad, lambda a, b, o: a.data * o.grad, True), "half"),
        (make_mul(lambda a, b, o: a.data * o.grad, lambda a, b, o: b.data * o.grad), "OTHER"),
        (make_mul(lambda a, b, o: b.data, lambda a, b, o: a.data), "multiply by out.grad"),
        (skeleton, "returned None"),
        ("not a function", "should be a function"),
    ],
)
def test_value_mul(mul, phrase):
    result = check_value_mul(mul, Value)
    assert result.passed == phrase.startswith("✔")
    assert phrase in result.message, result.message
