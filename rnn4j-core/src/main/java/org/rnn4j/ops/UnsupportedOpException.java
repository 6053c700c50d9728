package org.rnn4j.ops;

/** An operation node rnn4j cannot run: names the op, its module and the node. */
public final class UnsupportedOpException extends IllegalArgumentException {
    private final String module;
    private final String className;
    private final String nodeName;

    public UnsupportedOpException(String module, String className, String nodeName, String detail) {
        super("Operation node '" + nodeName + "' (" + module + "." + className + ") is not supported"
                + (detail == null ? "" : ": " + detail));
        this.module = module;
        this.className = className;
        this.nodeName = nodeName;
    }

    public String module() {
        return module;
    }

    public String className() {
        return className;
    }

    public String nodeName() {
        return nodeName;
    }
}
