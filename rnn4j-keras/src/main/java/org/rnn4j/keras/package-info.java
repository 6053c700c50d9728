/** rnn4j-keras. */
package org.rnn4j.keras;
